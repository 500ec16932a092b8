; translate: a function of a declaration and its parameter list (Rust).
(function_item
  name: (identifier) @name
  parameters: (parameters) @params) @function

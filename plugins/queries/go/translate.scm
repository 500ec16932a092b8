; translate: a function of a declaration and its parameter list (Go).
(function_declaration
  name: (identifier) @name
  parameters: (parameter_list) @params) @function

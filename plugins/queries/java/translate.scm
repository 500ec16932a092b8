; translate: a method of a declaration and its parameter list (Java).
(method_declaration
  name: (identifier) @name
  parameters: (formal_parameters) @params) @function

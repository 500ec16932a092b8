; translate: a function of a declaration and its parameter list (C++).
(function_definition
  declarator: (function_declarator
    declarator: (identifier) @name
    parameters: (parameter_list) @params)) @function

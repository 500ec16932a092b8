; Named functions for `no-recursion` / `single-function`.
(function_declaration name: (identifier) @name) @function
(generator_function_declaration name: (identifier) @name) @function
(method_definition name: (property_identifier) @name) @function
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)] @function)
(assignment_expression left: (identifier) @name right: [(arrow_function) (function_expression)] @function)

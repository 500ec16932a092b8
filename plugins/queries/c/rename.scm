; rename: scopes, bindings and non-reference identifiers (C). See cpp/rename.scm.

(function_definition declarator: (function_declarator declarator: (identifier) @function.name)) @function
(function_definition declarator: (_ (function_declarator declarator: (identifier) @function.name))) @function

(function_declarator parameters: (parameter_list (parameter_declaration declarator: (_) @parameter)))

(declaration declarator: (_) @local.after) @local.statement

(compound_statement) @block
(for_statement) @block
(if_statement) @block
(while_statement) @block

(comment) @prose

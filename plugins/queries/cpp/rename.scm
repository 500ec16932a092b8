; rename: scopes, bindings and non-reference identifiers (C++).
; @function/@function.name: function definitions and lambdas; @parameter: bound in the
; nearest @function; @local.after with @local.statement: a declaration, bound from its
; end to the end of the nearest @block; @local.scope: bound in the nearest @block;
; @skip: qualified names (`std::count` is not a local `count`); @prose: comments.

(function_definition declarator: (function_declarator declarator: (identifier) @function.name)) @function
(function_definition declarator: (_ (function_declarator declarator: (identifier) @function.name))) @function
(lambda_expression) @function

(function_declarator parameters: (parameter_list (parameter_declaration declarator: (_) @parameter)))
(function_declarator parameters: (parameter_list (optional_parameter_declaration declarator: (_) @parameter)))
(abstract_function_declarator parameters: (parameter_list (parameter_declaration declarator: (_) @parameter)))
(abstract_function_declarator parameters: (parameter_list (optional_parameter_declaration declarator: (_) @parameter)))

(declaration declarator: (_) @local.after) @local.statement
(for_range_loop declarator: (_) @local.scope)
(catch_clause parameters: (parameter_list (parameter_declaration declarator: (_) @local.scope)))

(compound_statement) @block
(for_statement) @block
(for_range_loop) @block
(if_statement) @block
(while_statement) @block
(catch_clause) @block

(qualified_identifier name: (identifier) @skip)

(comment) @prose

; rename: scopes, bindings and non-reference identifiers (TypeScript).
; @function/@function.name: scopes with parameters; @parameter: bound in the nearest
; @function; @local.function: `var`, bound in the whole nearest @function;
; @local.after with @local.statement: `let`/`const`, bound from the end of the statement
; to the end of the nearest @block; @local.scope: bound in the nearest @function or
; @block; @shorthand: `{name}` (a key and a variable at once: never renamed);
; @prose: comments.

(function_declaration name: (identifier) @function.name) @function
(generator_function_declaration name: (identifier) @function.name) @function
(variable_declarator name: (identifier) @function.name
  value: [(arrow_function) (function_expression)] @function)
(arrow_function) @function
(function_expression) @function
(method_definition) @function

(required_parameter pattern: (_) @parameter)
(optional_parameter pattern: (_) @parameter)
(arrow_function parameter: (identifier) @parameter)

(variable_declaration (variable_declarator name: (_) @local.function))
(lexical_declaration (variable_declarator name: (_) @local.after)) @local.statement
(for_in_statement left: (_) @local.scope)
(catch_clause parameter: (_) @local.scope)
(class_declaration name: (type_identifier) @local.scope)

(statement_block) @block
(for_statement) @block
(for_in_statement) @block
(catch_clause) @block

(shorthand_property_identifier) @shorthand
(shorthand_property_identifier_pattern) @shorthand

(comment) @prose

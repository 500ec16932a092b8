; rename: scopes, bindings and non-reference identifiers (Java).
; Methods and variables live in separate namespaces: the entry point is renamed only as a
; method name (@function.name, @method, and the name of a method reference), parameters
; only as variables. @parameter: bound in the nearest @function; @local.after with
; @local.statement: a local variable, bound from the statement's end to the end of the
; nearest @block; @local.scope: bound in the nearest @block; @skip: field accesses,
; annotations, package names; @prose: comments.

(method_declaration name: (identifier) @function.name) @function
(constructor_declaration) @function
(lambda_expression) @function

(formal_parameter name: (identifier) @parameter)
(spread_parameter (variable_declarator name: (identifier) @parameter))
(lambda_expression parameters: (identifier) @parameter)
(inferred_parameters (identifier) @parameter)

(local_variable_declaration declarator: (variable_declarator name: (identifier) @local.after)) @local.statement
(enhanced_for_statement name: (identifier) @local.scope)
(catch_formal_parameter name: (identifier) @local.scope)

(block) @block
(for_statement) @block
(enhanced_for_statement) @block
(catch_clause) @block

(method_invocation name: (identifier) @method)
(field_access field: (identifier) @skip)
(marker_annotation name: (identifier) @skip)
(annotation name: (identifier) @skip)
(scoped_identifier (identifier) @skip)

(line_comment) @prose
(block_comment) @prose

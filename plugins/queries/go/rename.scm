; rename: scopes, bindings and non-reference identifiers (Go).
; @function/@function.name: functions, methods and function literals; @parameter: bound
; in the nearest @function; @local.after with @local.statement: `:=` and `var`, bound
; from the statement's end to the end of the nearest @block (a `:=` of a parameter in the
; function's own body assigns it, it does not shadow it); @local.scope: bound in the
; nearest @block; @skip: struct-literal keys; @prose: comments.

(function_declaration name: (identifier) @function.name) @function
(method_declaration) @function
(func_literal) @function

(parameter_declaration name: (identifier) @parameter)
(variadic_parameter_declaration name: (identifier) @parameter)

(short_var_declaration left: (expression_list) @local.after) @local.statement
(var_spec name: (identifier) @local.after) @local.statement
(range_clause left: (expression_list) @local.scope)
(type_switch_statement alias: (expression_list) @local.scope)

(block) @block
(for_statement) @block
(if_statement) @block
(expression_switch_statement) @block
(type_switch_statement) @block

(keyed_element key: (literal_element (identifier) @skip))

(comment) @prose

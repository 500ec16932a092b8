; rename: scopes, bindings and non-reference identifiers (Rust).
; @function/@function.name: fn items and closures; @parameter: bound in the nearest
; @function; @local.after with @local.statement: `let`, bound from the statement's end
; to the end of the nearest @block (Rust's shadowing); @local.scope: `for`, `if let`,
; `match` patterns, bound in the nearest @block; @skip: path segments, macro names,
; `use` items; @shorthand: `S { name }`; @format: string literals inside macro calls
; (`{name}` captures a variable by name); @prose: comments.

(function_item name: (identifier) @function.name) @function
(closure_expression) @function

(parameter pattern: (_) @parameter)
(closure_parameters (identifier) @parameter)

(let_declaration pattern: (_) @local.after) @local.statement
(for_expression pattern: (_) @local.scope)
(let_condition pattern: (_) @local.scope)
(match_arm pattern: (_) @local.scope)

(block) @block
(for_expression) @block
(if_expression) @block
(while_expression) @block
(match_arm) @block

(scoped_identifier name: (identifier) @skip)
(scoped_identifier path: (identifier) @skip)
(macro_invocation macro: (identifier) @skip)
(use_declaration argument: (identifier) @skip)
(use_list (identifier) @skip)
(use_as_clause alias: (identifier) @skip)

(shorthand_field_initializer (identifier) @shorthand)
(token_tree (string_literal) @format)

(line_comment) @prose
(block_comment) @prose

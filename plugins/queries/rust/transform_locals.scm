; Local variable declarations (@decl), names that must never be renamed (@blocked) and
; identifiers that are not variable references (@ignored) for the transform mutator.
(let_declaration pattern: (identifier) @decl)
(let_declaration pattern: (tuple_pattern (identifier) @decl))
(let_declaration pattern: (tuple_pattern (mut_pattern (identifier) @decl)))
(for_expression pattern: (identifier) @decl)
(for_expression pattern: (tuple_pattern (identifier) @decl))
(shorthand_field_initializer (identifier) @blocked)
(scoped_identifier name: (identifier) @ignored)
(scoped_identifier path: (identifier) @ignored)
(macro_invocation macro: (identifier) @ignored)

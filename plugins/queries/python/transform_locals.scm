; Local variable declarations (@decl), names that must never be renamed (@blocked) and
; identifiers that are not variable references (@ignored) for the transform mutator.
(assignment left: (identifier) @decl)
(assignment left: (pattern_list (identifier) @decl))
(assignment left: (tuple_pattern (identifier) @decl))
(augmented_assignment left: (identifier) @decl)
(for_statement left: (identifier) @decl)
(for_statement left: (pattern_list (identifier) @decl))
(for_statement left: (tuple_pattern (identifier) @decl))
(named_expression name: (identifier) @decl)
(global_statement (identifier) @blocked)
(nonlocal_statement (identifier) @blocked)
(keyword_argument name: (identifier) @blocked)
(attribute attribute: (identifier) @ignored)

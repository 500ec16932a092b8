; Local variable declarations (@decl), names that must never be renamed (@blocked) and
; subtrees whose identifiers are not variables (@ignored_tree) for the transform mutator.
(declaration declarator: (identifier) @decl)
(declaration declarator: (init_declarator declarator: (identifier) @decl))
(declaration declarator: (init_declarator declarator: (pointer_declarator declarator: (identifier) @decl)))
(declaration declarator: (init_declarator declarator: (reference_declarator (identifier) @decl)))
(declaration declarator: (pointer_declarator declarator: (identifier) @decl))
(declaration declarator: (array_declarator declarator: (identifier) @decl))
(declaration declarator: (init_declarator declarator: (array_declarator declarator: (identifier) @decl)))
(for_range_loop declarator: (identifier) @decl)
(for_range_loop declarator: (reference_declarator (identifier) @decl))
(template_function name: (identifier) @blocked)
(qualified_identifier) @ignored_tree
(goto_statement) @ignored_tree

; Local variable declarations (@decl) for the transform mutator.
(declaration declarator: (identifier) @decl)
(declaration declarator: (init_declarator declarator: (identifier) @decl))
(declaration declarator: (init_declarator declarator: (pointer_declarator declarator: (identifier) @decl)))
(declaration declarator: (pointer_declarator declarator: (identifier) @decl))
(declaration declarator: (array_declarator declarator: (identifier) @decl))
(declaration declarator: (init_declarator declarator: (array_declarator declarator: (identifier) @decl)))
(goto_statement) @ignored_tree

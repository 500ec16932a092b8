; Local variable declarations (@decl), names that must never be renamed (@blocked) and
; identifiers that are not variable references (@ignored) for the transform mutator.
(local_variable_declaration declarator: (variable_declarator name: (identifier) @decl))
(enhanced_for_statement name: (identifier) @decl)
(method_invocation name: (identifier) @ignored)
(field_access field: (identifier) @ignored)
(labeled_statement (identifier) @blocked)
(break_statement (identifier) @blocked)
(continue_statement (identifier) @blocked)
(method_reference (identifier) @blocked)

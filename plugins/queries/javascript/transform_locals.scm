; Local variable declarations (@decl), names that must never be renamed (@blocked) for
; the transform mutator.
(variable_declarator name: (identifier) @decl)
(for_in_statement left: (identifier) @decl)
(shorthand_property_identifier) @blocked
(shorthand_property_identifier_pattern) @blocked

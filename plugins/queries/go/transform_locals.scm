; Local variable declarations (@decl) and names that must never be renamed (@blocked) for
; the transform mutator (range variables are checked for := in code).
(short_var_declaration left: (expression_list (identifier) @decl))
(var_spec name: (identifier) @decl)
(range_clause left: (expression_list (identifier) @decl))
(keyed_element key: (literal_element (identifier) @blocked))

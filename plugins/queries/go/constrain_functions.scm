; Functions for `no-recursion` / `single-function`: declarations, methods (their
; receiver names make `r.f()` a call to method f) and function literals bound to a name
; (`var dfs func(int); dfs = func(i int) {...}`).
(function_declaration name: (identifier) @name) @function
(method_declaration name: (field_identifier) @name) @function
(method_declaration receiver: (parameter_list (parameter_declaration name: (identifier) @receiver_name)))
(assignment_statement left: (expression_list . (identifier) @name) right: (expression_list . (func_literal) @function))
(short_var_declaration left: (expression_list . (identifier) @name) right: (expression_list . (func_literal) @function))
(var_spec name: (identifier) @name value: (expression_list . (func_literal) @function))

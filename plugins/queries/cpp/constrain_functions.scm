; Function definitions for `no-recursion` / `single-function` (the checker finds the
; name inside @declarator, through pointer/reference declarators), and lambdas stored
; in a named variable (`function<int(int)> f = [&](int n) {...}`).
(function_definition declarator: (_) @declarator) @function
(init_declarator declarator: (identifier) @name value: (lambda_expression) @function)

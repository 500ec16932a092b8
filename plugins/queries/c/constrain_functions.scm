; Function definitions for `no-recursion` / `single-function` (the checker finds the
; name inside @declarator, through pointer declarators).
(function_definition declarator: (_) @declarator) @function

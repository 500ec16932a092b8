; Calls for `no-recursion`: `f(...)`, and `obj.f(...)` (the checker keeps those whose
; receiver is `self` or `cls`).
(call function: (identifier) @callee) @call
(call function: (attribute object: (identifier) @receiver attribute: (identifier) @callee)) @call

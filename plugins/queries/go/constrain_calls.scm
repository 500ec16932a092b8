; Calls for `no-recursion`: `f(...)` and `r.f(...)` (the checker keeps those whose
; receiver is a method receiver of the solution, not a package).
(call_expression function: (identifier) @callee) @call
(call_expression function: (selector_expression operand: (identifier) @receiver field: (field_identifier) @callee)) @call

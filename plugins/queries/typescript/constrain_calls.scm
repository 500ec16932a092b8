; Calls for `no-recursion`: `f(...)` and `this.f(...)`.
(call_expression function: (identifier) @callee) @call
(call_expression function: (member_expression object: (this) @receiver property: (property_identifier) @callee)) @call

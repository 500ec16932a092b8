; Calls for `no-recursion`: `f(...)`, `f::<T>(...)`, `self.f(...)`, `Self::f(...)`.
(call_expression function: (identifier) @callee) @call
(call_expression function: (generic_function function: (identifier) @callee)) @call
(call_expression function: (field_expression value: (self) @receiver field: (field_identifier) @callee)) @call
(call_expression function: (scoped_identifier path: (identifier) @receiver name: (identifier) @callee)) @call

; Calls for `no-recursion`.
(call_expression function: (identifier) @callee) @call

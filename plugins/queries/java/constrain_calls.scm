; Calls for `no-recursion`: `f(...)` and `this.f(...)` (overloads share a name).
(method_invocation !object name: (identifier) @callee) @call
(method_invocation object: (this) @receiver name: (identifier) @callee) @call

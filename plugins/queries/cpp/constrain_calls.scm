; Calls for `no-recursion`: `f(...)`, `f<T>(...)`, `this->f(...)`, `Class::f(...)`
; (not `std::f(...)`: the library's function of the same name).
(call_expression function: (identifier) @callee) @call
(call_expression function: (template_function name: (identifier) @callee)) @call
(call_expression function: (field_expression argument: (this) @receiver field: (field_identifier) @callee)) @call
(call_expression function: (qualified_identifier scope: (namespace_identifier) @_scope name: (identifier) @callee)
  (#not-eq? @_scope "std")) @call

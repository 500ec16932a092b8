; Methods and constructors for `no-recursion` / `single-function`.
(method_declaration name: (identifier) @name) @function
(constructor_declaration name: (identifier) @name) @function

; Named functions for `no-recursion` / `single-function`: defs and lambdas bound to a name.
(function_definition name: (identifier) @name) @function
(assignment left: (identifier) @name right: (lambda) @function)

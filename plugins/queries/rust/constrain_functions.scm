; Functions for `no-recursion` / `single-function`.
(function_item name: (identifier) @name) @function

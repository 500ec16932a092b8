; Functions whose bodies the transform mutator rewrites (rename scopes, dead code).
(function_item body: (block)) @function

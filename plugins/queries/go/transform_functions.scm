; Functions whose bodies the transform mutator rewrites (rename scopes, dead code).
[(function_declaration body: (block)) (method_declaration body: (block)) (func_literal)] @function

; Functions whose bodies the transform mutator rewrites (rename scopes, dead code).
(function_definition body: (compound_statement)) @function

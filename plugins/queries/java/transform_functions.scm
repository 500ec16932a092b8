; Methods whose bodies the transform mutator rewrites (rename scopes, dead code).
[(method_declaration body: (block)) (constructor_declaration)] @function

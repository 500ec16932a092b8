; Functions whose bodies the transform mutator rewrites (rename scopes, dead code).
[(function_declaration) (function_expression) (arrow_function) (method_definition)
 (generator_function_declaration)] @function

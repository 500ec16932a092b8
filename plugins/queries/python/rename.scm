; rename: scopes, bindings and non-reference identifiers (Python).
; @function: a scope with parameters (@function.name names it); @parameter: a parameter
; pattern bound in the nearest @function; @local.function: bound in the whole nearest
; @function (Python scoping); @local.scope: bound in the nearest @function or @block;
; @skip: an identifier that is not a variable reference; @keyword: a keyword-argument
; name; @prose: comments and docstrings (renamed with the prose rules only).

(function_definition name: (identifier) @function.name) @function
(lambda) @function
(list_comprehension) @function
(set_comprehension) @function
(dictionary_comprehension) @function
(generator_expression) @function

(parameters (identifier) @parameter)
(lambda_parameters (identifier) @parameter)
(default_parameter name: (identifier) @parameter)
(typed_parameter (identifier) @parameter)
(typed_default_parameter name: (identifier) @parameter)
(parameters (list_splat_pattern (identifier) @parameter))
(parameters (dictionary_splat_pattern (identifier) @parameter))
(lambda_parameters (list_splat_pattern (identifier) @parameter))
(lambda_parameters (dictionary_splat_pattern (identifier) @parameter))
(typed_parameter (list_splat_pattern (identifier) @parameter))
(typed_parameter (dictionary_splat_pattern (identifier) @parameter))

(assignment left: (_) @local.function)
(augmented_assignment left: (_) @local.function)
(for_statement left: (_) @local.function)
(as_pattern_target) @local.function
(named_expression name: (identifier) @local.function)
(class_definition name: (identifier) @local.function)
(import_statement name: (dotted_name . (identifier) @local.function))
(import_statement name: (aliased_import alias: (identifier) @local.function))
(import_from_statement name: (dotted_name (identifier) @local.function))
(import_from_statement name: (aliased_import alias: (identifier) @local.function))
(for_in_clause left: (_) @local.scope)

(attribute attribute: (identifier) @skip)
(dotted_name (identifier) @skip)
(keyword_argument name: (identifier) @keyword)

(comment) @prose
(expression_statement . (string) @prose .)

; translate: the entry point's definition and the string statements of its body; the
; first one is the docstring (HumanEval/115 has an import before it).
(function_definition
  name: (identifier) @name
  body: (block (expression_statement (string) @doc))) @function

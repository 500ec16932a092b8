; Simple mutants of a solution (codeaug/mutants.py): @op operators, @int integer
; literals, @cond conditions, @pcond parenthesized conditions (negated inside).
(binary_expression operator: _ @op)
(augmented_assignment_expression operator: _ @op)
(number) @int
(if_statement condition: (parenthesized_expression) @pcond)
(while_statement condition: (parenthesized_expression) @pcond)
(ternary_expression condition: (_) @cond)

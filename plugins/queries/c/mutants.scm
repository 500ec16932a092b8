; Simple mutants of a solution (codeaug/mutants.py): @op operators, @int integer
; literals, @cond conditions, @pcond parenthesized conditions (negated inside).
(binary_expression operator: _ @op)
(assignment_expression operator: _ @op)
(number_literal) @int
(if_statement condition: (parenthesized_expression) @pcond)
(while_statement condition: (parenthesized_expression) @pcond)
(conditional_expression condition: (_) @cond)

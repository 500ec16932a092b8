; Simple mutants of a solution (codeaug/mutants.py): @op operators, @int integer
; literals, @cond conditions to negate.
(binary_expression operator: _ @op)
(assignment_expression operator: _ @op)
(number_literal) @int
(if_statement condition: (condition_clause value: (_) @cond))
(while_statement condition: (condition_clause value: (_) @cond))
(conditional_expression condition: (_) @cond)

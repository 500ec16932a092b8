; Simple mutants of a solution (codeaug/mutants.py): @op operators, @int integer
; literals, @cond conditions to negate.
(binary_expression operator: _ @op)
(assignment_statement operator: _ @op)
(int_literal) @int
(if_statement condition: (_) @cond)

; Simple mutants of a solution (codeaug/mutants.py): @op operators, @int integer
; literals, @cond conditions to negate.
(binary_expression operator: _ @op)
(compound_assignment_expr operator: _ @op)
(integer_literal) @int
(if_expression condition: (binary_expression) @cond)
(if_expression condition: (identifier) @cond)
(if_expression condition: (call_expression) @cond)
(while_expression condition: (binary_expression) @cond)

; Simple mutants of a solution (codeaug/mutants.py): @op operator tokens to swap,
; @int integer literals to move by one, @cond conditions to negate.
(binary_operator operator: _ @op)
(boolean_operator operator: _ @op)
(comparison_operator operators: _ @op)
(augmented_assignment operator: _ @op)
(integer) @int
(if_statement condition: (_) @cond)
(elif_clause condition: (_) @cond)
(while_statement condition: (_) @cond)
(conditional_expression (_) "if" . (_) @cond)

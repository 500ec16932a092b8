; Loops for the `no-loops` constraint. Comprehensions and generator expressions are
; loops too (they iterate just like a `for` statement).
[(for_statement) (while_statement) (list_comprehension) (set_comprehension)
 (dictionary_comprehension) (generator_expression)] @loop

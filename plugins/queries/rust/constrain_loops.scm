; Loops for the `no-loops` constraint (`while_expression` includes `while let`).
[(for_expression) (while_expression) (loop_expression)] @loop

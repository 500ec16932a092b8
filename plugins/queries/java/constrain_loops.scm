; Loops for the `no-loops` constraint.
[(for_statement) (enhanced_for_statement) (while_statement) (do_statement)] @loop

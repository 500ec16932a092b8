; Loops for the `no-loops` constraint (`for_in_statement` covers for...of and for...in).
[(for_statement) (for_in_statement) (while_statement) (do_statement)] @loop

; Loops for the `no-loops` constraint; a `goto` can jump backwards, so it counts too.
[(for_statement) (for_range_loop) (while_statement) (do_statement) (goto_statement)] @loop

; Loops for the `no-loops` constraint: Go's only loop is `for`; a `goto` counts too.
[(for_statement) (goto_statement)] @loop

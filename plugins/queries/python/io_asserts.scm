; The assert statements of a HumanEval-style test program; io_mutator.py reads
; `assert candidate(<literals>) == <literal>` (and the entry point's own name) from them.
(assert_statement) @assert

; for init; cond; post -> for cond; for cond (the while form) -> for ; cond; (filtered in code).
(for_statement (for_clause)) @for_c
(for_statement) @while

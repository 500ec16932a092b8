; if/else (elif chains are filtered in code).
(if_statement alternative: (else_clause)) @if

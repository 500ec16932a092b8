; if/else expressions (else-if and if-let are filtered in code).
(if_expression alternative: (else_clause)) @if

; if/else (else-if chains and dangling-else shapes are filtered in code).
(if_statement alternative: (_)) @if

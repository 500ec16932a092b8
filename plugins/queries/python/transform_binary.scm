; Comparisons and products whose operands may be swapped (filtered in code).
(comparison_operator) @binary
(binary_operator operator: "*") @binary

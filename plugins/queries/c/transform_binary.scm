; Comparisons and products whose operands may be swapped (operator filtered in code).
(binary_expression operator: ["==" "!=" "<" ">" "<=" ">=" "*"]) @binary

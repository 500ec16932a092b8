; Library sorting for `no-builtin-sort`: the sorting functions of packages `sort` and
; `slices`, and any `.Sort()` method (sort.IntSlice(x).Sort()).
(selector_expression operand: (identifier) @_pkg field: (field_identifier) @sort
  (#eq? @_pkg "sort")
  (#any-of? @sort "Ints" "Strings" "Float64s" "Sort" "Stable" "Slice" "SliceStable"))
(selector_expression operand: (identifier) @_pkg field: (field_identifier) @sort
  (#eq? @_pkg "slices") (#any-of? @sort "Sort" "SortFunc" "SortStableFunc"))
(call_expression function: (selector_expression operand: (call_expression) field: (field_identifier) @sort)
  (#eq? @sort "Sort"))

; Library sorting for `no-builtin-sort`: slice `sort*` methods (called, or named as
; `<[T]>::sort`), itertools' `sorted*`, and BinaryHeap::into_sorted_vec.
(field_expression field: (field_identifier) @sort
  (#match? @sort "^(sort|sort_by|sort_by_key|sort_by_cached_key|sort_unstable|sort_unstable_by|sort_unstable_by_key|sorted|sorted_by|sorted_by_key|sorted_unstable|into_sorted_vec)$"))
(scoped_identifier name: (identifier) @sort
  (#match? @sort "^(sort|sort_by|sort_by_key|sort_by_cached_key|sort_unstable|sort_unstable_by|sort_unstable_by_key)$"))

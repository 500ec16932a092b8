; Library sorting for `no-builtin-sort`: std::sort and its relatives (qualified or after
; `using namespace std`), `qsort`, and the `sort()` member of std::list / forward_list.
(call_expression function: (identifier) @sort
  (#any-of? @sort "sort" "stable_sort" "partial_sort" "partial_sort_copy" "qsort" "sort_heap"))
(call_expression function: (template_function name: (identifier) @sort)
  (#any-of? @sort "sort" "stable_sort" "partial_sort" "partial_sort_copy" "sort_heap"))
(qualified_identifier name: (identifier) @sort
  (#any-of? @sort "sort" "stable_sort" "partial_sort" "partial_sort_copy" "qsort" "sort_heap"))
(call_expression function: (field_expression field: (field_identifier) @sort) (#eq? @sort "sort"))

; Library sorting for `no-builtin-sort`: the C library's `qsort`.
(call_expression function: (identifier) @sort (#eq? @sort "qsort"))
(argument_list (identifier) @sort (#eq? @sort "qsort"))

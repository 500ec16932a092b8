; Library sorting for `no-builtin-sort`: `sorted(...)`, `sorted` passed as a function,
; and any `.sort(...)` method call (name-based: a user object's `sort` is flagged too).
(call function: (identifier) @sort (#eq? @sort "sorted"))
(argument_list (identifier) @sort (#eq? @sort "sorted"))
(keyword_argument value: (identifier) @sort (#eq? @sort "sorted"))
(attribute attribute: (identifier) @sort (#eq? @sort "sort"))

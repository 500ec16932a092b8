; Library sorting for `no-builtin-sort`: Arrays.sort/parallelSort, Collections.sort,
; List.sort and Stream.sorted (name-based: any method called `sort` is flagged), and
; method references such as `Collections::sort`.
(method_invocation name: (identifier) @sort (#any-of? @sort "sort" "parallelSort" "sorted"))
(method_reference (identifier) @sort . (#any-of? @sort "sort" "parallelSort" "sorted"))

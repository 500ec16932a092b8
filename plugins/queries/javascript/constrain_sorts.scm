; Library sorting for `no-builtin-sort`: `.sort` / `.toSorted` on any object (called,
; or borrowed as `Array.prototype.sort.call(...)`).
(member_expression property: (property_identifier) @sort (#any-of? @sort "sort" "toSorted"))

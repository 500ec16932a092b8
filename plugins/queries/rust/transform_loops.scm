; for v in a..b -> counter while; while c -> loop with a break guard.
(for_expression value: (range_expression)) @for_range
(while_expression) @while

; C-style for -> while; while -> for (;cond;).
(for_statement) @for_c
(while_statement) @while

; for v in range(...): -> counter while; any for -> while True over next(iter(...));
; while c: -> while True with a guard.
((for_statement
   left: (identifier)
   right: (call function: (identifier) @fn)) @for_range
 (#eq? @fn "range"))
(for_statement) @for_iter
(while_statement) @while

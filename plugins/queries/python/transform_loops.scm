; for v in range(...): -> counter while; while c: -> while True with a guard.
((for_statement
   left: (identifier)
   right: (call function: (identifier) @fn)) @for_range
 (#eq? @fn "range"))
(while_statement) @while

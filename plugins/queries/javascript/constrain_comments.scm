; What `max-lines` does not count.
(comment) @comment

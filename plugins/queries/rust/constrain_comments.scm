; What `max-lines` does not count.
[(line_comment) (block_comment)] @comment

; What `max-lines` does not count: comments, and string statements (docstrings).
(comment) @comment
(expression_statement (string) @comment)

; Literals whose inner lines reformatting must not touch.
[(string_literal) (raw_string_literal) (char_literal)] @string

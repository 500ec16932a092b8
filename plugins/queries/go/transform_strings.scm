; Literals whose inner lines reformatting must not touch.
[(raw_string_literal) (interpreted_string_literal) (rune_literal)] @string

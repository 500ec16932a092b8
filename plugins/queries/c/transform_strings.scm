; Literals whose inner lines reformatting must not touch.
[(string_literal) (char_literal) (concatenated_string)] @string

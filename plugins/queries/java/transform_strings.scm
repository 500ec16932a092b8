; Literals whose inner lines reformatting must not touch.
[(string_literal) (character_literal)] @string

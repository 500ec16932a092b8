; Literals whose inner lines reformatting must not touch.
[(string) (template_string) (regex)] @string

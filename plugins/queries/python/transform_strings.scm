; Literals whose inner lines reformatting must not touch.
(string) @string

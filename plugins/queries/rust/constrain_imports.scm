; Imports for `imports-only`: the use tree of each `use` (expanded into paths by the
; checker) and each `extern crate`.
(use_declaration argument: (_) @use)
(extern_crate_declaration name: (identifier) @module)

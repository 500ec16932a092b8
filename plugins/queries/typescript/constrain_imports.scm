; Imports for `imports-only`: @module is the source string of `import`/`export ... from`;
; @argument the first argument of `require(...)` or `import(...)` (a string literal names
; the module, anything else is a dynamic import).
(import_statement source: (string) @module)
(export_statement source: (string) @module)
(call_expression function: (identifier) @_f arguments: (arguments . (_) @argument) (#eq? @_f "require"))
(call_expression function: (import) arguments: (arguments . (_) @argument))
(import_require_clause source: (string) @module)

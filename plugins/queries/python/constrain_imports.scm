; Imports for `imports-only`: @module names a module; @dynamic is `__import__(...)`.
(import_statement name: (dotted_name) @module)
(import_statement name: (aliased_import name: (dotted_name) @module))
(import_from_statement module_name: (_) @module)
(future_import_statement) @future
(call function: (identifier) @_f (#eq? @_f "__import__")) @dynamic

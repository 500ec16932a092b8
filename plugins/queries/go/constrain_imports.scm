; Imports for `imports-only`: each import path.
(import_spec path: (_) @module)

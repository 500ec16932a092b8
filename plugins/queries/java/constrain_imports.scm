; Imports for `imports-only`: the name an `import` (static or not, `.*` or not) gives.
(import_declaration [(scoped_identifier) (identifier)] @module)

"""The built-in `transform` mutator (being written)."""

"""The built-in `rename` mutator (being written)."""

"""The built-in `io` mutator (being written)."""

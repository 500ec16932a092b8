"""The built-in `constrain` mutator (being written)."""

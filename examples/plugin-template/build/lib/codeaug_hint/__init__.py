"""codeaug-hint: an example codeaug plugin (copy it to start your own)."""

__version__ = "0.1.0"

"""A plugin whose format collector raises a CodeaugError that is not a PluginError."""

import codeaug
from codeaug.errors import InputError


@codeaug.hookimpl
def register_formats(register):  # type: ignore[no-untyped-def]
    raise InputError("cannot find my data files")

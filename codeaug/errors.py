"""Every error codeaug raises on purpose derives from :class:`CodeaugError`.

A failing candidate is never an exception: it is a :class:`codeaug.verdict.Verdict`.
Errors carry the data a caller needs to act on them; the CLI turns them into
messages and exit codes in one place (``codeaug.cli``).
"""

from __future__ import annotations


class CodeaugError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with when this escapes a command."""

    exit_code = 2


class RecordError(CodeaugError):
    """A problem record that could not be decoded or validated.

    Carries where it was found so the message can name file, line and field.
    """

    def __init__(self, path: str, line: int, field: str | None, message: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        where = f"{path}:{line}"
        if field:
            where += f": field `{field}`"
        super().__init__(f"{where}: {message}")


class InputError(CodeaugError):
    """An input file that cannot be read at all (missing, unreadable, no valid record)."""


class PluginError(CodeaugError):
    """A plugin failed to load or misbehaved; ``plugin`` names it."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}")


class DuplicateNameError(PluginError):
    """Two plugins registered the same name for a language, format or mutator."""

    def __init__(self, kind: str, name: str, first: str, second: str) -> None:
        self.kind, self.name, self.first, self.second = kind, name, first, second
        super().__init__(second, f"{kind} {name!r} is already registered by plugin {first!r}")


class UnknownNameError(CodeaugError):
    """A language, format or mutator name that no loaded plugin provides."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        self.kind, self.name, self.known = kind, name, known
        super().__init__(f"unknown {kind} {name!r} (known: {', '.join(sorted(known)) or 'none'})")


class UnsupportedTypeError(CodeaugError):
    """A neutral type or value a language cannot express (``list[any]`` in C, say).

    Translation skips such a problem and records why; it never renders it wrongly.
    """

    def __init__(self, language: str, type_text: str, why: str = "") -> None:
        self.language, self.type_text = language, type_text
        super().__init__(f"{language} cannot express {type_text}" + (f": {why}" if why else ""))


class SandboxError(CodeaugError):
    """The sandbox infrastructure failed (not the candidate).

    ``exit_status`` and ``stderr`` are the container's where known.
    """

    exit_code = 3

    def __init__(
        self, message: str, *, exit_status: int | None = None, stderr: str | None = None
    ) -> None:
        self.exit_status = exit_status
        self.stderr = stderr
        super().__init__(message)


class DockerUnavailableError(SandboxError):
    """The Docker daemon cannot be reached; the message says how to start it."""


class ImageBuildError(SandboxError):
    """Building a sandbox image failed; ``log`` holds the tail of the build output."""

    def __init__(self, image: str, message: str, log: str = "") -> None:
        self.image = image
        self.log = log
        super().__init__(f"building {image}: {message}", stderr=log)

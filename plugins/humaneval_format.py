"""The ``humaneval`` format: OpenAI HumanEval JSONL (plain or ``.gz``) into problem records.

Each line holds ``task_id``, ``prompt``, ``canonical_solution``, ``test`` and
``entry_point``. The record keeps HumanEval's own judging: ``solution`` is
``prompt + canonical_solution`` and the tests are ``code`` tests whose program is
``solution + "\\n" + test + "\\n\\ncheck(entry_point)\\n"`` - the original harness's
assembly (it joins with a single ``"\\n"`` and no final newline; the extra blank line
and newline do not change what Python runs). Other fields on a line are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import codeaug
from codeaug.errors import RecordError
from codeaug.formats import Format
from codeaug.pysignature import SignatureError, signature_from_python
from codeaug.record import CodeTests, Problem, json_type_name, open_text_lines

FIELDS = ("task_id", "prompt", "canonical_solution", "test", "entry_point")


class HumanEvalFormat(Format):
    """Reads HumanEval-shaped JSONL; one bad line is a :class:`RecordError`, not a stop."""

    name: ClassVar[str] = "humaneval"
    description: ClassVar[str] = (
        "OpenAI HumanEval JSONL (.jsonl or .jsonl.gz): task_id, prompt, canonical_solution,"
        " test, entry_point"
    )

    def read(self, source: Path) -> Iterator[Problem | RecordError]:
        """Yield one record per non-blank line; an unreadable file raises ``InputError``."""
        path = str(source)
        seen: dict[str, int] = {}
        for number, raw in open_text_lines(source):
            if not raw.strip():
                continue
            try:
                problem = _convert(raw, Path(source).name, path, number)
            except RecordError as err:
                yield err
                continue
            first = seen.setdefault(problem.id, number)
            if first != number:
                yield RecordError(path, number, "task_id",
                                  f"duplicate task_id {problem.id!r} (first at line {first})")
                continue
            yield problem


def _convert(raw: bytes, file_name: str, path: str, line: int) -> Problem:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(path, line, None, f"invalid UTF-8 at byte {exc.start}") from None
    try:
        item: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(path, line, None, f"invalid JSON: {exc}") from None
    if not isinstance(item, dict):
        raise RecordError(path, line, None,
                          f"expected a JSON object, got {type(item).__name__}")
    values: dict[str, str] = {}
    for field in FIELDS:
        if field not in item:
            raise RecordError(path, line, field, "missing required field")
        value = item[field]
        if not isinstance(value, str):
            raise RecordError(path, line, field,
                              f"expected a string, got {json_type_name(value)}")
        values[field] = value
    task_id, entry_point = values["task_id"], values["entry_point"]
    if not task_id.strip():
        raise RecordError(path, line, "task_id", "must not be empty")
    if not entry_point.isidentifier():
        raise RecordError(path, line, "entry_point",
                          f"{entry_point!r} is not a Python identifier")
    try:
        signature = signature_from_python(values["prompt"], entry_point)
    except SignatureError as exc:
        field = "prompt" if exc.field == "source" else "entry_point"
        raise RecordError(path, line, field, str(exc)) from None
    code = values["test"] + "\n\ncheck(" + entry_point + ")\n"
    try:
        return Problem(
            id=task_id,
            language="python",
            prompt=values["prompt"],
            tests=CodeTests(code=code),
            entry_point=entry_point,
            signature=signature,
            solution=values["prompt"] + values["canonical_solution"],
            constraints=[],
            meta={"source": {"format": "humaneval", "file": file_name, "line": line,
                             "task_id": task_id}},
        )
    except ValueError as exc:  # Problem.__post_init__ validation
        raise RecordError(path, line, None, str(exc)) from None


@codeaug.hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    """Make ``codeaug import humaneval`` available."""
    register(HumanEvalFormat())

"""The verdict cache: re-verifying an unchanged candidate costs a lookup, not a sandbox run.

A verdict is keyed by a content hash of everything that decides it: the language and
the version of its plugin, the solution, the tests, the signature and entry point, the
constraints, the limits, and the sandbox image's digest. Change any of them and the key
changes; nothing is ever invalidated by hand.

SQLite in WAL mode holds the table: every write is a committed transaction, so a crash
loses at most the verdicts not yet written, and several codeaug processes may share one
cache file (readers never block, writers take turns). ``sandbox_error`` verdicts are not
cached: they say nothing about the candidate.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import msgspec

from codeaug.executor.protocol import Limits
from codeaug.images import cache_dir
from codeaug.record import Problem
from codeaug.verdict import Status, Verdict

SCHEMA_VERSION = 1
_encode = msgspec.json.Encoder(order="deterministic").encode
_decode_verdict = msgspec.json.Decoder(Verdict).decode


def default_path() -> Path:
    return cache_dir() / "verdicts.sqlite3"


def verdict_key(problem: Problem, language: str, language_version: str, limits: Limits,
                image_id: str, checkers: dict[str, str] | None = None) -> str:
    """The content hash a verdict is stored under. ``checkers`` (name -> version of the
    constraint checkers the record uses) counts only when given and non-empty, so the
    keys of records without checked constraints stay what they were."""
    material = {
        "schema": SCHEMA_VERSION,
        "language": [language, language_version],
        "solution": problem.solution,
        "tests": problem.tests,
        "entry_point": problem.entry_point,
        "signature": problem.signature,
        "constraints": problem.constraints,
        "limits": limits,
        "image": image_id,
    }
    if checkers:
        material["checkers"] = dict(sorted(checkers.items()))
    return hashlib.sha256(_encode(material)).hexdigest()


class VerdictCache:
    """A persistent ``key -> Verdict`` table, safe across processes and crashes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None,
                                   check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS verdicts ("
            " key TEXT PRIMARY KEY, verdict BLOB NOT NULL, created REAL NOT NULL)"
        )
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Verdict | None:
        row = self._db.execute("SELECT verdict FROM verdicts WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        try:
            verdict = _decode_verdict(row[0])
        except msgspec.DecodeError:  # written by an incompatible version: recompute
            self.misses += 1
            return None
        self.hits += 1
        return verdict

    def put(self, key: str, verdict: Verdict) -> None:
        if verdict.status is Status.SANDBOX_ERROR:
            return
        self._db.execute(
            "INSERT OR REPLACE INTO verdicts (key, verdict, created) VALUES (?, ?, ?)",
            (key, msgspec.json.encode(verdict), time.time()),
        )

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0])

    def close(self) -> None:
        self._db.close()

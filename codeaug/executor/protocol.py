"""The runner protocol: what the host and the in-container runner say to each other.

One JSON object per line in each direction over the container's attached stdin and
stdout. The runner (``sandbox/runner.py``) is standard-library only and mirrors these
structs by hand; ``docs/runner-protocol.md`` documents the protocol for anyone
writing another runner.

Host -> runner: a :class:`Job`. Runner -> host: first a :class:`Hello`, then one
:class:`JobResult` per job, in order.
"""

from __future__ import annotations

import msgspec

PROTOCOL_VERSION = 2


class Limits(msgspec.Struct, omit_defaults=True):
    """Per-step limits the runner applies with rlimits and its own clock.

    ``address_space`` is an ``RLIMIT_AS`` cap (0 = none; runtimes such as the JVM or
    Go reserve large address ranges and rely on the container's cgroup limit instead).
    """

    wall_seconds: float = 10.0
    cpu_seconds: int = 10
    address_space: int = 1 << 30
    output_bytes: int = 1 << 20
    file_bytes: int = 16 << 20
    open_files: int = 256
    processes: int = 64


class Step(msgspec.Struct, omit_defaults=True):
    """One process to run in the job's work dir.

    ``python_fork``: run ``argv[1]`` (a Python script) in a child forked from the
    runner's warm interpreter instead of exec'ing a new interpreter.
    ``stop_job_on_failure``: skip the following steps when this one does not exit 0
    (a failed compile step). ``env`` adds to the runner's clean environment
    (``GOCACHE``, say).
    """

    name: str
    argv: list[str]
    stdin: str = ""
    env: dict[str, str] = {}
    python_fork: bool = False
    stop_job_on_failure: bool = False
    limits: Limits = msgspec.field(default_factory=Limits)


class Job(msgspec.Struct, omit_defaults=True):
    """Files to write into a fresh work dir, then steps to run there in order."""

    id: str
    files: dict[str, str]
    steps: list[Step]


class StepResult(msgspec.Struct, omit_defaults=True):
    """Raw facts about one step; the language plugin turns them into a verdict.

    ``exit_code`` is None when the process was killed by ``signal``. ``killed_by`` is
    who ended it early: ``"timeout"``, ``"cpu"``, ``"output"`` or ``""``.
    ``oom_killed`` is true when the container's cgroup OOM killer fired during it.
    """

    name: str
    exit_code: int | None = None
    signal: int | None = None
    killed_by: str = ""
    oom_killed: bool = False
    stdout: str = ""
    stderr: str = ""
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    max_rss_kb: int = 0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.killed_by and not self.oom_killed


class JobResult(msgspec.Struct, omit_defaults=True):
    """Results of the steps that ran. ``dirty`` asks the host to recycle the container
    (something survived cleanup); ``runner_error`` reports a runner-side failure."""

    id: str
    steps: list[StepResult] = []
    dirty: bool = False
    runner_error: str = ""


class Hello(msgspec.Struct):
    """First line the runner writes once it is ready for jobs."""

    ready: bool
    protocol: int
    python: str
    uid: int
    #: The uid jobs run under; equal to ``uid`` only for a runner started by hand.
    job_uid: int = 0

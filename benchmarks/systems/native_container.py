"""The native HumanEval-X baseline: the original harness's commands, unsandboxed, run with
the toolchains of codeaug's own images.

The host's toolchains differ from the images' (node, rustc and Go versions), so the
baseline runs inside ONE long-lived plain container of the language's image: ``sleep
infinity`` under docker-init, no network, uid 10001, a tmpfs ``/work`` that allows exec,
and no CPU, memory or pids caps (the baseline is unsandboxed: none of codeaug's runner,
rlimits, or per-job clean-up). :mod:`benchmarks.systems.native_driver` runs inside it: per
item a fresh directory, the program's files, and the original harness's compile and run
commands as separate processes (:data:`NATIVE`), ``jobs`` items at a time. Container
start-up is not timed; a run's time is the driver's own wall time from the first item's
start to the last item's end (the ``docker exec`` around it is reported separately).

The program text is the one codeaug runs: the language plugin's ``build_job`` for the
record, its main file only (Go's generated ``testmain.go`` is dropped: ``go test``
generates its own). For C++ the harness headers codeaug force-includes
(``/opt/codeaug/gcc/humaneval_x_prelude.h`` in the image, the original harness's import
helper) are written at the top of ``main.cpp``, as the original harness did.
"""

from __future__ import annotations

import io
import json
import tarfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docker
import docker.errors

from benchmarks.items import Item
from benchmarks.systems import ItemResult
from benchmarks.systems.containers import bench_labels, remove_leftovers
from codeaug.executor.docker_api import SANDBOX_UID, connect
from codeaug.images import ImageRef, ensure_image
from codeaug.language import Language

DRIVER = Path(__file__).with_name("native_driver.py")
BENCH_DIR = "/tmp/codeaug-bench"  # the container's own writable layer (not a tmpfs)
RUST_DIR = "/opt/codeaug/rust"
CPP_PRELUDE = "/opt/codeaug/gcc/humaneval_x_prelude.h"
GO_WARM_TEST = """package main

import (
\t"testing"

\t"github.com/stretchr/testify/assert"
)

func TestWarm(t *testing.T) { assert.Equal(t, 1, 1) }
"""


@dataclass(frozen=True)
class NativeSpec:
    """How the original HumanEval-X harness compiles and runs one language's program.

    ``steps``: argv lists run in order in the item's directory, each a process; an item
    passes when every step exits 0 (``silent``: and prints nothing, JavaScript's rule).
    ``env`` adds to the image's environment (``{root}``: the run's directory).
    ``setup``: commands run untimed before each run, in ``{root}/setup`` with
    ``setup_files``. ``version``: a command printing the toolchain's version.
    """

    key: str
    language: str
    main: str
    steps: tuple[tuple[str, ...], ...]
    version: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    silent: bool = False
    setup: tuple[tuple[str, ...], ...] = ()
    setup_files: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def commands(self) -> str:
        env = " ".join(f"{k}={v}" for k, v in self.env.items())
        shown = " && ".join(" ".join(step) for step in self.steps)
        return (f"{env} " if env else "") + shown


RUST_EXTERNS = ("-L", f"dependency={RUST_DIR}/deps",
                "--extern", f"rand={RUST_DIR}/librand.rlib",
                "--extern", f"regex={RUST_DIR}/libregex.rlib",
                "--extern", f"md5={RUST_DIR}/libmd5.rlib")

#: Per HumanEval-X file key: the original harness's commands (see the module docstring).
NATIVE: dict[str, NativeSpec] = {spec.key: spec for spec in (
    NativeSpec("python", "python", "main.py", (("python3", "main.py"),),
               ("python3", "--version")),
    NativeSpec("cpp", "cpp", "main.cpp",
               (("g++", "-std=c++11", "main.cpp", "-lcrypto", "-lssl"), ("./a.out",)),
               ("g++", "--version"),
               note="main.cpp = the harness headers (#include lines of "
                    f"{CPP_PRELUDE}) + the program; Boost headers in /usr/include"),
    NativeSpec("java", "java", "Main.java", (("javac", "Main.java"), ("java", "Main")),
               ("javac", "-version"), note="plain JVM flags: none of codeaug's"),
    NativeSpec("js", "javascript", "main.js", (("node", "main.js"),), ("node", "--version"),
               env={"NODE_PATH": "/opt/codeaug/node-path"}, silent=True,
               note="pass = exit 0 and nothing printed; NODE_PATH holds the image's js-md5 "
                    "adapter (JS/162), where the original had npm's js-md5"),
    NativeSpec("go", "go", "main_test.go", (("go", "test"),), ("go", "version"),
               env={"GO111MODULE": "off", "CGO_ENABLED": "0",
                    "GOPATH": "/usr/share/gocode:{root}/gopath",
                    "GOCACHE": "{root}/gocache", "GOFLAGS": ""},
               setup=(("go", "test"),), setup_files={"warm_test.go": GO_WARM_TEST},
               note="GOPATH mode (no network: testify 1.8 from Debian in /usr/share/gocode, "
                    "not a module download), CGO_ENABLED=0 (the image has no C compiler); "
                    "a fresh GOCACHE per run, warmed untimed by one `go test` of a file "
                    "importing testify, so each item compiles its own package (go test's "
                    "vet included) and links, as in a module whose dependencies are built"),
    NativeSpec("rust", "rust", "main.rs",
               (("rustc", "--edition", "2021", "--test", "-C", "debuginfo=2", "main.rs",
                 "-o", "main", *RUST_EXTERNS), ("./main",)),
               ("rustc", "--version"),
               note="the original runs `cargo test` in a cargo project; without the network "
                    "the crates (rand 0.4.6, regex 1.7.1, md5 0.7.0) are the image's prebuilt "
                    "rlibs, passed with --extern; -C debuginfo=2 as cargo's dev profile"),
)}


def native_program(spec: NativeSpec, language: Language, item: Item, prelude: str) -> str:
    """The main file of the plugin's job for ``item`` (plus the C++ harness headers)."""
    job = language.build_job(item.problem, language.default_limits, item.id)
    text = job.files[spec.main]
    return prelude + text if spec.key == "cpp" else text


def step_timeouts(language: Language, item: Item, steps: int) -> list[float]:
    """Per native step: the wall limit of the plugin's matching step (compile, run); a
    single native step that compiles and runs (``go test``) gets both."""
    job = language.build_job(item.problem, language.default_limits, item.id)
    walls = [float(s.limits.wall_seconds) for s in job.steps]
    if steps == 1:
        return [sum(walls)]
    return (walls + walls[-1:] * steps)[:steps]


class NativeInContainer:
    """The original harness's commands for one language, in a plain container."""

    def __init__(self, name: str, spec: NativeSpec, language: Language, jobs: int) -> None:
        self.name = name
        self.spec = spec
        self.language = language
        self.jobs = jobs
        self.description = (f"`{spec.commands()}` per item, one process per command, "
                            f"{jobs} items at a time, in one plain container of the image")
        self.client: docker.DockerClient | None = None
        self.image: ImageRef | None = None
        self.container: docker.models.containers.Container | None = None
        self.toolchain = ""
        self.exec_overhead: list[float] = []
        self.setup_problems: list[str] = []
        self._runs = 0

    def _exec(self, argv: Sequence[str]) -> tuple[int, str, str]:
        assert self.container is not None
        code, (out, err) = self.container.exec_run(list(argv), user=SANDBOX_UID,
                                                   workdir="/work", demux=True)
        return (code, (out or b"").decode("utf-8", "replace"),
                (err or b"").decode("utf-8", "replace"))

    def setup(self, items: Sequence[Item]) -> None:
        self.client = connect()
        self.image = ensure_image(self.client, self.language.image)
        self.container = self.client.containers.run(
            self.image.tag, entrypoint=["sleep", "infinity"], command=[],
            name=f"codeaug-bench-native-{self.spec.key}-{uuid.uuid4().hex[:6]}",
            user=SANDBOX_UID, working_dir="/work", network_mode="none", init=True,
            tmpfs={"/work": "rw,exec,nosuid,nodev,size=4g,uid=10001,gid=10001"},
            labels=bench_labels(self.name), detach=True)
        code, out, err = self._exec(self.spec.version)
        self.toolchain = (out.strip() or err.strip()).splitlines()[0] if code == 0 else "?"
        prelude = ""
        if self.spec.key == "cpp":
            code, out, _ = self._exec(["cat", CPP_PRELUDE])
            prelude = "".join(line + "\n" for line in out.splitlines()
                              if line.startswith("#include"))
        steps = len(self.spec.steps)
        payload = {
            "env": self.spec.env, "rule": "exit0-silent" if self.spec.silent else "exit0",
            "setup": [list(s) for s in self.spec.setup], "setup_files": self.spec.setup_files,
            "items": [{"id": item.id,
                       "files": {self.spec.main: native_program(self.spec, self.language,
                                                                item, prelude)},
                       "steps": [[list(argv), timeout] for argv, timeout in zip(
                           self.spec.steps, step_timeouts(self.language, item, steps),
                           strict=True)]}
                      for item in items],
        }
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            for name, data in (("native_driver.py", DRIVER.read_bytes()),
                               ("items.json", json.dumps(payload).encode())):
                info = tarfile.TarInfo(f"codeaug-bench/{name}")
                info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
                tar.addfile(info, io.BytesIO(data))
        self.container.put_archive("/tmp", archive.getvalue())
        self.run(items[:2])  # untimed: page cache, toolchain files; checks the driver works

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        """Run ``items`` (a prefix of setup's) once; sets :attr:`last_wall`, the driver's
        wall time."""
        self._runs += 1
        root = f"/work/run-{self._runs}"
        started = time.perf_counter()
        code, out, err = self._exec(["python3", f"{BENCH_DIR}/native_driver.py",
                                     f"{BENCH_DIR}/items.json", root, str(self.jobs),
                                     str(len(items))])
        host = time.perf_counter() - started
        self._exec(["rm", "-rf", root])
        if code != 0:
            raise RuntimeError(f"{self.name}: the native driver failed (exit {code}): "
                               f"{err.strip()[-500:]}")
        report = json.loads(out)
        self.last_wall = float(report["wall"])
        self.exec_overhead.append(host - self.last_wall)
        for entry in report["setup"]:
            if entry["exit"] != 0:
                self.setup_problems.append(f"{' '.join(entry['argv'])}: exit {entry['exit']}: "
                                           f"{entry['output']}")
        by_id = {r["id"]: r for r in report["results"]}
        return [ItemResult(i.id, bool(by_id[i.id]["passed"]), float(by_id[i.id]["seconds"]),
                           detail=by_id[i.id]["detail"]) for i in items]

    last_wall: float = 0.0

    def teardown(self) -> None:
        if self.client is not None:
            remove_leftovers(self.client, self.name)
            self.container = None
            self.client.close()
            self.client = None

    def notes(self) -> list[str]:
        notes = [f"toolchain: {self.toolchain}; image {self.image.tag}" if self.image else "",
                 f"commands per item: `{self.spec.commands()}`"]
        if self.spec.note:
            notes.append(self.spec.note)
        if self.exec_overhead:
            notes.append("docker exec + driver start around a run (not timed): "
                         f"{min(self.exec_overhead):.2f}-{max(self.exec_overhead):.2f} s")
        notes += [f"untimed setup failed: {p}" for p in self.setup_problems[:3]]
        return [n for n in notes if n]

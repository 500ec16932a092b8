"""llm-sandbox (PyPI ``llm-sandbox[docker]``), through its public API, on codeaug's image.

Two modes, both with ``workers`` threads running items in parallel:

* :class:`LlmSandboxPerItem` (``per_item``): ``with SandboxSession(backend="docker",
  image=..., lang="python", ...) as s: s.run(program)`` per item, so every item gets a
  new container that llm-sandbox creates, starts, runs the code in (``mkdir`` exec, copy
  the file in with ``put_archive``, ``python <file>`` exec) and stops and removes.
* :class:`LlmSandboxPooled` (``pooled``): one ``create_pool_manager(...)`` pool of
  ``workers`` containers kept across runs (filled by an untimed warm-up pass over
  a few items); per item ``with SandboxSession(pool=pool, lang="python") as s:
  s.run(program)`` borrows a container and gives it back.

The image is never pulled: llm-sandbox gets a local image derived from codeaug's
Python sandbox image (built in ``setup``, untimed, removed in ``teardown``) that only
adds what llm-sandbox's Python handler calls and codeaug's image lacks: a ``python``
command (llm-sandbox runs ``python <file>``, the image has ``python3``) and, for the
pool, the virtual environment it expects in ``/sandbox/.sandbox-venv`` (created with
``--without-pip --system-site-packages``, since llm-sandbox's own set-up would
``pip install --upgrade pip`` from the network). ``skip_environment_setup=True`` is
passed for the same reason. Containers run as llm-sandbox's default user (root: its
file copies are root-owned ``0600`` files and its ``chown`` needs ``CAP_CHOWN``), with
a writable root file system (``put_archive`` refuses a read-only one), and with
``network_mode=none``, all capabilities dropped, no-new-privileges and the same
pids/memory/CPU caps as codeaug. Their main process is ``sleep infinity`` under
docker-init: the image's default ``bash`` on a TTY ignores SIGTERM, so llm-sandbox's
``container.stop()`` would wait Docker's full 10 s stop timeout per item.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import docker
import docker.errors

from benchmarks.items import Item
from benchmarks.systems import ItemResult, PeerUnavailable
from benchmarks.systems.containers import bench_labels, remove_leftovers, sandbox_image
from codeaug.executor.docker_api import connect
from codeaug.images import ImageRef

VENV = "/sandbox/.sandbox-venv"  # llm-sandbox's <workdir>/.sandbox-venv for workdir /sandbox
DOCKERFILE = """\
FROM {base}
USER root
RUN ln -sf /usr/bin/python3 /usr/bin/python \\
 && python3 -m venv --without-pip --system-site-packages {venv}
"""


def llm_sandbox_version() -> str:
    try:
        return version("llm-sandbox")
    except PackageNotFoundError:
        return "not installed"


class _LlmSandboxBase:
    mode = ""

    def __init__(self, name: str, workers: int, timeout: float) -> None:
        self.name = name
        self.workers = max(1, workers)
        self.timeout = timeout
        self.client: docker.DockerClient | None = None
        self.base: ImageRef | None = None
        self.image: str | None = None
        self.removed_in_teardown = 0
        self.events: list[str] = []

    def _build_image(self) -> str:
        """The derived image (see the module doc), built from the local base only."""
        assert self.client is not None and self.base is not None
        # One tag per system, so one system's teardown never untags another's image.
        tag = f"codeaug-bench-{self.name}:{self.base.id.split(':')[-1][:16]}"
        text = DOCKERFILE.format(base=self.base.tag, venv=VENV).encode()
        self.client.images.build(fileobj=io.BytesIO(text), tag=tag, rm=True, forcerm=True,
                                 pull=False, network_mode="none",
                                 labels=bench_labels(self.name))
        return tag

    def runtime_configs(self) -> dict[str, Any]:
        return {
            "command": ["sleep", "infinity"],
            "init": True,
            "network_mode": "none",
            "cap_drop": ["ALL"],
            "security_opt": ["no-new-privileges"],
            "pids_limit": 256,
            "mem_limit": 1536 << 20,
            "memswap_limit": 1536 << 20,
            "nano_cpus": int(1e9),
            "labels": bench_labels(self.name),
        }

    def _require(self) -> None:
        """Raise PeerUnavailable when the peer's package cannot be imported."""
        try:
            import llm_sandbox  # noqa: F401
        except ImportError as exc:
            raise PeerUnavailable(f"llm-sandbox is not importable: {exc} "
                                  "(pip install 'llm-sandbox[docker]')") from None

    def setup(self, items: Sequence[Item]) -> None:
        self._require()
        logging.getLogger("llm_sandbox").setLevel(logging.WARNING)
        self.client = connect()
        self.base = sandbox_image(self.client)
        self.image = self._build_image()

    def _session(self) -> Any:
        raise NotImplementedError

    def _one(self, item: Item) -> ItemResult:
        import time

        from llm_sandbox.exceptions import SandboxTimeoutError

        started = time.perf_counter()
        try:
            with self._session() as session:
                out = session.run(item.program, timeout=self.timeout)
        except SandboxTimeoutError:
            return ItemResult(item.id, False, time.perf_counter() - started,
                              detail=f"timed out after {self.timeout:g} s")
        except Exception as exc:
            return ItemResult(item.id, False, time.perf_counter() - started,
                              detail=f"llm-sandbox error: {type(exc).__name__}: {exc}")
        elapsed = time.perf_counter() - started
        if out.exit_code != 0:
            tail = (out.stderr or "").strip().splitlines()[-1:]
            return ItemResult(item.id, False, elapsed,
                              detail=f"exit {out.exit_code}: {' '.join(tail)}")
        return ItemResult(item.id, True, elapsed)

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        if self.workers == 1:
            return [self._one(item) for item in items]
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(self._one, items))

    def _close(self) -> None:
        pass

    def teardown(self) -> None:
        try:
            self._close()
        finally:
            if self.client is not None:
                self.removed_in_teardown += remove_leftovers(self.client, self.name)
                if self.image is not None:
                    try:
                        self.client.images.remove(self.image, noprune=False)
                    except docker.errors.ImageNotFound:
                        pass  # the other llm-sandbox system removed it already
                    except docker.errors.APIError as exc:
                        self.events.append(f"derived image not removed: {exc}")
                self.client.close()
                self.client = None

    def notes(self) -> list[str]:
        notes = [f"llm-sandbox {llm_sandbox_version()}, backend docker, "
                 f"{self.workers} threads; image {self.image} = codeaug's "
                 f"{self.base.tag if self.base else '?'} + `python` and an empty venv"]
        if self.removed_in_teardown:
            notes.append(f"teardown removed {self.removed_in_teardown} leftover containers")
        return notes + self.events[:5]


class LlmSandboxPerItem(_LlmSandboxBase):
    """A new llm-sandbox session, hence a new container, per item."""

    mode = "per-item"

    def __init__(self, name: str, workers: int, timeout: float) -> None:
        super().__init__(name, workers, timeout)
        self.description = (f"llm-sandbox {llm_sandbox_version()}: `with SandboxSession(...) "
                            f"as s: s.run(code)` per item (a container each), "
                            f"{self.workers} in parallel")

    def _session(self) -> Any:
        from llm_sandbox import SandboxSession

        return SandboxSession(backend="docker", client=self.client, image=self.image,
                              lang="python", keep_template=True, skip_environment_setup=True,
                              runtime_configs=self.runtime_configs(),
                              execution_timeout=self.timeout)


class LlmSandboxPooled(_LlmSandboxBase):
    """llm-sandbox's container pool, ``workers`` containers kept across runs."""

    mode = "pooled"

    def __init__(self, name: str, workers: int, timeout: float) -> None:
        super().__init__(name, workers, timeout)
        self.description = (f"llm-sandbox {llm_sandbox_version()}: pool of {self.workers} "
                            "warm containers (create_pool_manager), `SandboxSession(pool=...)"
                            ".run(code)` per item")
        self.pool: Any = None

    def setup(self, items: Sequence[Item]) -> None:
        super().setup(items)
        from llm_sandbox.pool import PoolConfig, create_pool_manager

        config = PoolConfig(max_pool_size=self.workers, min_pool_size=self.workers,
                            enable_prewarming=False, idle_timeout=None,
                            max_container_lifetime=None, acquisition_timeout=600.0)
        self.pool = create_pool_manager(client=self.client, backend="docker", config=config,
                                        lang="python", image=self.image,
                                        runtime_configs=self.runtime_configs(),
                                        skip_environment_setup=True)
        warmup = self.run(items[: self.workers * 4])  # fills the pool; not timed
        failed = [r for r in warmup if not r.passed]
        if failed:
            self.events.append(f"warm-up pass: {len(failed)} items did not pass, first: "
                               f"{failed[0].detail}")

    def _session(self) -> Any:
        from llm_sandbox import SandboxSession

        return SandboxSession(pool=self.pool, lang="python", execution_timeout=self.timeout)

    def _close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

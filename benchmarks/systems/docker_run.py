"""``docker run --rm`` per item: the plain container-per-item baseline, written here.

One timed item is what ``docker run --rm --network none --read-only --tmpfs /tmp
--cap-drop ALL --security-opt no-new-privileges --user 10001:10001 -v DIR:/work:ro
IMAGE python3 main.py`` does, through the Docker SDK: create the container, start it,
wait for it to exit (at most the per-item timeout), read its logs if it failed, and
remove it. The image is codeaug's own Python sandbox image; the hardening flags are the
ones codeaug's runner containers use where they matter for a one-shot run (no network,
read-only root, a tmpfs ``/tmp``, all capabilities dropped, no-new-privileges, the
sandbox's non-root uid, pids/memory/CPU caps). The program reaches the container as a
read-only bind mount of the item's own directory, written in ``setup`` (untimed), since
a read-only root file system refuses ``put_archive``. ``workers`` threads run items in
parallel, each with its own container.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import docker
import docker.errors
import requests.exceptions

from benchmarks.items import Item
from benchmarks.systems import ItemResult
from benchmarks.systems.containers import bench_labels, remove_leftovers, sandbox_image
from codeaug.executor.docker_api import SANDBOX_UID, connect
from codeaug.images import ImageRef


class DockerRunPerItem:
    """A fresh hardened container per item, ``workers`` at a time."""

    def __init__(self, name: str, workers: int, timeout: float) -> None:
        self.name = name
        self.workers = max(1, workers)
        self.timeout = timeout
        self.description = (f"`docker run --rm --network none --read-only ... python3 main.py` "
                            f"per item via the Docker SDK, {self.workers} in parallel")
        self.client: docker.DockerClient | None = None
        self.image: ImageRef | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._dirs: dict[str, str] = {}
        self.removed_in_teardown = 0

    def setup(self, items: Sequence[Item]) -> None:
        self.client = connect()
        self.image = sandbox_image(self.client)
        self._dir = tempfile.TemporaryDirectory(prefix="codeaug-bench-docker-run-")
        root = Path(self._dir.name)
        root.chmod(0o755)  # the container's uid 10001 must read the bind mounts
        for index, item in enumerate(items):
            work = root / f"{index:05d}"
            work.mkdir(mode=0o755)
            work.chmod(0o755)
            path = work / "main.py"
            path.write_text(item.program, encoding="utf-8")
            path.chmod(0o644)
            self._dirs[item.id] = str(work)

    def _create_kwargs(self, item: Item) -> dict[str, Any]:
        assert self.image is not None
        return dict(
            image=self.image.tag,
            command=["python3", "main.py"],
            user=SANDBOX_UID,
            working_dir="/work",
            network_mode="none",
            read_only=True,
            tmpfs={"/tmp": "rw,noexec,nosuid,nodev,size=64m,mode=1777"},
            volumes={self._dirs[item.id]: {"bind": "/work", "mode": "ro"}},
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            pids_limit=256,
            mem_limit=1536 << 20,
            memswap_limit=1536 << 20,
            nano_cpus=int(1e9),
            environment={"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUTF8": "1"},
            labels=bench_labels(self.name),
        )

    def _one(self, item: Item) -> ItemResult:
        assert self.client is not None
        started = time.perf_counter()
        container = self.client.containers.create(**self._create_kwargs(item))
        try:
            container.start()
            try:
                status = container.wait(timeout=self.timeout)
            except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
                return ItemResult(item.id, False, time.perf_counter() - started,
                                  detail=f"timed out after {self.timeout:g} s")
            code = int(status.get("StatusCode", -1))
            detail = ""
            if code != 0:
                tail = container.logs(stdout=False, stderr=True, tail=1)
                detail = f"exit {code}: {tail.decode('utf-8', 'replace').strip()}"
        finally:
            try:
                container.remove(force=True)
            except docker.errors.NotFound:
                pass
        return ItemResult(item.id, code == 0, time.perf_counter() - started, detail=detail)

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        if self.workers == 1:
            return [self._one(item) for item in items]
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(self._one, items))

    def teardown(self) -> None:
        if self.client is not None:
            self.removed_in_teardown += remove_leftovers(self.client, self.name)
            self.client.close()
            self.client = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def notes(self) -> list[str]:
        notes = [f"image: {self.image.tag} ({self.image.id[:19]}), codeaug's own"
                 if self.image else "image: not resolved",
                 f"{self.workers} containers at a time; per item: create, start, wait, "
                 "remove (logs only on failure)"]
        if self.removed_in_teardown:
            notes.append(f"teardown removed {self.removed_in_teardown} leftover containers")
        return notes


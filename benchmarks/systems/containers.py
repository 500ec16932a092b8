"""What the container-per-item peers share: the image, a label, and cleaning up.

Every container a peer starts carries :data:`LABEL_OWNER` = ``<hostname>:<pid>`` of the
benchmark process, so :func:`remove_leftovers` (run by each peer's ``teardown``) and the
suite's final check find exactly this process's containers, and nobody else's.
"""

from __future__ import annotations

import sys

import docker
import docker.errors

from codeaug.executor.docker_api import owner_label
from codeaug.images import ImageRef, ensure_image

LABEL_OWNER = "org.codeaug.bench.owner"
LABEL_SYSTEM = "org.codeaug.bench.system"


def bench_labels(system: str) -> dict[str, str]:
    return {LABEL_OWNER: owner_label(), LABEL_SYSTEM: system}


def sandbox_image(client: docker.DockerClient) -> ImageRef:
    """codeaug's own Python sandbox image (built offline if missing; never pulled)."""
    from benchmarks.systems.codeaug_verify import python_language

    return ensure_image(client, python_language().image,
                        on_progress=lambda m: print(m, file=sys.stderr))


def mine(client: docker.DockerClient, system: str | None = None) -> list[str]:
    """Names of containers this benchmark process started (optionally of one system)."""
    filters = [f"{LABEL_OWNER}={owner_label()}"]
    if system is not None:
        filters.append(f"{LABEL_SYSTEM}={system}")
    found = client.containers.list(all=True, filters={"label": filters})
    return [c.name or c.id or "?" for c in found]


def remove_leftovers(client: docker.DockerClient, system: str) -> int:
    """Force-remove every container of ``system`` this process started; how many."""
    found = client.containers.list(
        all=True, filters={"label": [f"{LABEL_OWNER}={owner_label()}",
                                     f"{LABEL_SYSTEM}={system}"]})
    for container in found:
        try:
            container.remove(force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if exc.status_code != 409:  # 409: removal already in progress
                raise
    return len(found)

"""Fixtures that talk to the real Docker engine. Skipped on a laptop without Docker,
failing in CI (``CI=true``) when the engine is unreachable."""

from __future__ import annotations

from collections.abc import Iterator

import docker
import pytest

from codeaug.errors import DockerUnavailableError
from codeaug.executor.docker_api import connect
from codeaug.executor.pool import Executor, PoolOptions
from codeaug.images import ImageRef, ImageSpec, ensure_image
from codeaug.testing import skip_or_fail


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.path):
            item.add_marker(pytest.mark.docker)


@pytest.fixture(scope="session")
def docker_client() -> Iterator[docker.DockerClient]:
    try:
        client = connect(timeout=300)
    except DockerUnavailableError as exc:
        skip_or_fail(str(exc))
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="session")
def python_image(docker_client: docker.DockerClient) -> ImageRef:
    """The Python sandbox image, built offline on first use."""
    return ensure_image(docker_client, ImageSpec("python"), on_progress=print)


@pytest.fixture
def executor(docker_client: docker.DockerClient, python_image: ImageRef) -> Iterator[Executor]:
    """Two warm Python containers; every container is gone when the test ends."""
    with Executor(docker_client, PoolOptions(size=2, retries=1)) as ex:
        yield ex
    left = docker_client.containers.list(
        all=True, filters={"label": f"org.codeaug.run={ex.run_id}"})
    assert not left, f"containers left behind: {[c.name for c in left]}"


# The language test modules (test_lang_*.py) name their plugin object ``LANGUAGE``; these
# two fixtures give each module that language's image and a warm pool of it.


@pytest.fixture(scope="module")
def lang_image(request: pytest.FixtureRequest, docker_client: docker.DockerClient) -> ImageRef:
    """The sandbox image of the module's ``LANGUAGE``, built offline on first use."""
    return ensure_image(docker_client, request.module.LANGUAGE.image, on_progress=print)


@pytest.fixture(scope="module")
def lang_executor(docker_client: docker.DockerClient,
                  lang_image: ImageRef) -> Iterator[Executor]:
    """Two warm containers of ``lang_image`` for the whole module; none is left behind."""
    with Executor(docker_client, PoolOptions(size=2, retries=1)) as pool:
        yield pool
    left = [c.name for c in docker_client.containers.list(
        all=True, filters={"label": f"org.codeaug.run={pool.run_id}"})]
    assert not left, f"containers left behind: {left}"

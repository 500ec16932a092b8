"""Streaming keeps memory bounded: verifying 4x more records does not need 4x the memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import docker

from codeaug.images import ImageRef
from codeaug.plugins import get_plugins
from codeaug.record import CodeTests, Problem
from codeaug.verify import Verifier, VerifyOptions, VerifySummary


def problems(n: int) -> Iterator[Problem]:
    for i in range(n):
        yield Problem(id=f"p{i}", language="python", prompt="Double it." * 20,
                      entry_point="double", solution=f"def double(x):\n    return 2 * x  # {i}\n",
                      tests=CodeTests(code=f"assert double({i}) == {2 * i}\n"))


def peak_while_verifying(client: docker.DockerClient, n: int) -> tuple[int, int]:
    verifier = Verifier(get_plugins(), client, VerifyOptions(jobs=2, cache=False))
    summary = VerifySummary()
    tracemalloc.start()
    try:
        for _ in verifier.verify_stream(problems(n), summary):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, summary.passed


def test_peak_memory_does_not_grow_with_the_input(
    docker_client: docker.DockerClient, python_image: ImageRef
) -> None:
    small, passed_small = peak_while_verifying(docker_client, 500)
    large, passed_large = peak_while_verifying(docker_client, 2000)
    assert (passed_small, passed_large) == (500, 2000)
    # Everything in flight or waiting to be written is bounded by the window, not by n.
    assert large < small * 1.5, (small, large)

"""codeaug/executor/pool.py with_backoff: an unreachable engine is waited for, with
exponential backoff and a bounded total, and nothing else is retried."""

from __future__ import annotations

import docker.errors
import pytest
import requests

from codeaug.errors import DockerUnavailableError
from codeaug.executor.container import engine_unreachable
from codeaug.executor.pool import with_backoff


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        self.now += seconds
        return False


def failing(times: int, error: BaseException):
    calls = {"n": 0}

    def action() -> str:
        calls["n"] += 1
        if calls["n"] <= times:
            raise error
        return "ok"

    return action, calls


REFUSED = requests.exceptions.ConnectionError("Connection refused")


def test_retries_until_the_engine_answers() -> None:
    clock = FakeClock()
    action, calls = failing(3, REFUSED)
    seen: list[float] = []
    assert with_backoff(action, budget=30, wait=clock.wait, clock=clock,
                        on_retry=lambda exc, pause: seen.append(pause)) == "ok"
    assert calls["n"] == 4
    assert clock.waits == seen == [0.25, 0.5, 1.0]  # doubling


def test_gives_up_after_the_budget_with_a_clear_error() -> None:
    clock = FakeClock()
    action, calls = failing(10**6, REFUSED)
    with pytest.raises(DockerUnavailableError, match=r"still unreachable after 30 s.*Start"):
        with_backoff(action, budget=30, wait=clock.wait, clock=clock)
    assert sum(clock.waits) == pytest.approx(30)  # never waits past the budget
    assert max(clock.waits) == 4.0  # the delay is capped
    assert calls["n"] == len(clock.waits) + 1


@pytest.mark.parametrize("error", [
    docker.errors.APIError("500 Server Error"),
    docker.errors.ImageNotFound("no such image"),
    ValueError("a bug"),
])
def test_errors_the_engine_answers_with_are_not_retried(error: Exception) -> None:
    clock = FakeClock()
    action, calls = failing(1, error)
    with pytest.raises(type(error)):
        with_backoff(action, budget=30, wait=clock.wait, clock=clock)
    assert calls["n"] == 1 and clock.waits == []


def test_a_wait_that_is_cut_short_stops_retrying() -> None:
    action, calls = failing(10**6, REFUSED)
    with pytest.raises(DockerUnavailableError, match="stopped waiting"):
        with_backoff(action, budget=30, wait=lambda seconds: True)
    assert calls["n"] == 1


@pytest.mark.parametrize(("error", "unreachable"), [
    (requests.exceptions.ConnectionError("aborted"), True),
    (requests.exceptions.ReadTimeout("read timed out"), True),
    (ConnectionRefusedError(111, "refused"), True),
    (ConnectionResetError(104, "reset"), True),
    (docker.errors.APIError("409 Conflict"), False),
    (docker.errors.NotFound("gone"), False),
    (OSError(28, "No space left on device"), False),
])
def test_engine_unreachable(error: BaseException, unreachable: bool) -> None:
    assert engine_unreachable(error) is unreachable

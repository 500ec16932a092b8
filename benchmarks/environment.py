"""What the report says about the machine and the software that produced the figures."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import docker

import codeaug


def _first(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                name, _, value = line.partition(":" if ":" in line else "=")
                if name.strip() == key:
                    return value.strip().strip('"')
    except OSError:
        pass
    return "unknown"


def _git(*args: str) -> str:
    root = Path(codeaug.__file__).resolve().parents[1]
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              check=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def collect(client: docker.DockerClient, command: str) -> dict[str, str]:
    """Host, engine and software facts, as label -> text, in report order."""
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count() or 0
    mem = _first("/proc/meminfo", "MemTotal")
    try:
        mem = f"{int(mem.split()[0]) / (1 << 20):.1f} GiB"
    except (ValueError, IndexError):
        pass
    try:
        version = client.version()
        info = client.info()
        engine = (f"{version.get('Version', '?')} (API {version.get('ApiVersion', '?')}, "
                  f"cgroup v{info.get('CgroupVersion', '?')}, "
                  f"storage {info.get('Driver', '?')}, runtime {info.get('DefaultRuntime', '?')})")
    except docker.errors.DockerException as exc:
        engine = f"unknown ({exc})"
    commit = _git("rev-parse", "HEAD") or "unknown"
    if _git("status", "--porcelain"):
        commit += " (working tree has uncommitted changes)"
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": command,
        "cores": f"{os.cpu_count()} logical ({affinity} usable by this process)",
        "CPU": _first("/proc/cpuinfo", "model name"),
        "memory": mem,
        "OS": (f"{_first('/etc/os-release', 'PRETTY_NAME')}, kernel {platform.release()}, "
               f"{platform.machine()}"),
        "Docker engine": engine,
        "Python (benchmark process)": f"{platform.python_version()} ({sys.executable})",
        "codeaug": codeaug.__version__,
        "git commit": commit,
    }


PACKAGES = ("docker", "urllib3", "requests", "llm-sandbox", "epicbox")


def versions() -> dict[str, str]:
    """Versions of the Python packages the peers use, as label -> text."""
    out = {}
    for name in PACKAGES:
        try:
            out[f"{name} (PyPI)"] = version(name)
        except PackageNotFoundError:
            out[f"{name} (PyPI)"] = "not installed"
    return out


def load_average() -> str:
    """The machine's load averages: other work competing for the cores shows here."""
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"
    except OSError:
        return "unknown"

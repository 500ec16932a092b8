"""The native HumanEval-X harness, run INSIDE a plain container of a codeaug language image.

Standard library only (the images have python3 3.11 and nothing else of ours): the
benchmark copies this file and an ``items.json`` into the container and runs
``python3 native_driver.py items.json RUN_DIR JOBS [N]`` (N: only the first N items).
For every item it makes a fresh directory under ``RUN_DIR``, writes the item's files,
and runs the item's commands one after the other with ``subprocess.run`` (one process
per command, as the original HumanEval-X harness does), ``JOBS`` items at a time from a
thread pool. It prints one JSON object: the wall time from the first item's start to
the last item's end, and per item whether it passed, its own wall time, and why it
failed.

``items.json``: ``{"setup": [argv, ...], "setup_files": {name: text}, "env": {...},
"rule": "exit0" | "exit0-silent", "items": [{"id", "files": {name: text}, "steps":
[[argv, timeout], ...]}]}``. ``{root}`` in an ``env`` value is ``RUN_DIR``. ``setup``
commands run in ``RUN_DIR/setup`` (holding ``setup_files``) before the clock starts
(untimed: warming Go's build cache with testify, say). ``rule`` ``exit0-silent`` is
HumanEval-X's JavaScript rule: exit 0 and nothing on stdout or stderr
(``console.assert`` prints, does not throw).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def tail(text: str, limit: int = 300) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return (lines[-1] if lines else "")[:limit]


def run_item(index: int, item: dict, root: str, env: dict, rule: str) -> dict:
    started = time.perf_counter()
    work = os.path.join(root, f"{index:04d}")
    os.makedirs(work)
    for name, text in item["files"].items():
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(text)
    passed, detail = True, ""
    for argv, timeout in item["steps"]:
        try:
            proc = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True,
                                  errors="replace", timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            passed, detail = False, f"{argv[0]}: timed out after {timeout:g} s"
            break
        if proc.returncode != 0:
            passed = False
            detail = (f"{argv[0]}: exit {proc.returncode}: "
                      f"{tail(proc.stderr) or tail(proc.stdout)}")
            break
        if rule == "exit0-silent" and (proc.stdout.strip() or proc.stderr.strip()):
            passed = False
            detail = f"{argv[0]}: exit 0 but printed: {tail(proc.stderr) or tail(proc.stdout)}"
            break
    return {"id": item["id"], "passed": passed, "seconds": time.perf_counter() - started,
            "detail": detail}


def main() -> int:
    source, root, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(source, encoding="utf-8") as f:
        spec = json.load(f)
    env = {**os.environ,
           **{k: v.replace("{root}", root) for k, v in spec.get("env", {}).items()}}
    os.makedirs(root)
    setup_dir = os.path.join(root, "setup")
    os.makedirs(setup_dir)
    for name, text in spec.get("setup_files", {}).items():
        with open(os.path.join(setup_dir, name), "w", encoding="utf-8") as f:
            f.write(text)
    setup = []
    for argv in spec.get("setup", []):
        proc = subprocess.run(argv, cwd=setup_dir, env=env, capture_output=True, text=True,
                              errors="replace", timeout=600, check=False)
        setup.append({"argv": argv, "exit": proc.returncode,
                      "output": tail(proc.stderr) or tail(proc.stdout)})
    items, rule = spec["items"], spec.get("rule", "exit0")
    if len(sys.argv) > 4:
        items = items[: int(sys.argv[4])]
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda pair: run_item(pair[0], pair[1], root, env, rule),
                                enumerate(items)))
    wall = time.perf_counter() - started
    json.dump({"wall": wall, "setup": setup, "results": results}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

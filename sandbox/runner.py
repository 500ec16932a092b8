"""codeaug's in-container runner: a fork server for untrusted jobs.

It runs as the container's main process (under docker-init), reads one job per line
(JSON) from its stdin and answers one result per line on its stdout, so the host keeps
one persistent channel per warm container and never runs ``docker exec`` per job. The
protocol is documented in ``docs/runner-protocol.md``; the host side is
``codeaug/executor/protocol.py``.

For every step of a job it forks a fresh child that gets: the job uid, its own session
and process group, the job's clean work dir, rlimits (CPU time, address space, file
size, open files), stdout/stderr on capped pipes, and a wall-clock deadline. When the
step ends, every process the job left behind is killed (``kill(-1)`` reaches all
processes of the job uid but ourselves and init) and the work dir, ``/tmp`` and
``/dev/shm`` are emptied, so the next job starts clean.

Identities: the image starts this file with a copy of python3 that is set-uid/gid to the
job user, so we begin as real uid 10001 (the container's user), effective 10002 (the
job user). :func:`split_identities` keeps effective 10002 and makes the saved uid 10001.
A job runs with all three ids 10002. The kernel lets a process signal another only if
its real or effective uid equals the target's real or saved uid, and trace or read
``/proc/<pid>/`` of it only if all of the target's ids are its own; the runner's real
and saved uid are 10001, so a job can do none of these to it, while the runner (effective
10002) can still kill every job process and delete every file a job made.

``python_fork`` steps run a Python script in the forked child itself, skipping the
~20 ms interpreter start-up: the child starts from this interpreter's clean state
(only the standard library modules in ``PRELOAD`` are imported, nothing of any job).

Standard library only: this file is copied into every sandbox image.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import select
import shutil
import signal
import sys
import time

PROTOCOL = 2
WORK_ROOT = os.environ.get("CODEAUG_WORK_ROOT", "/work")
JOB_DIR = os.path.join(WORK_ROOT, "job")
# Everywhere a job can write (/work, /tmp and /dev/shm are sticky and world-writable,
# owned by root, so a job cannot chmod them shut; /dev/mqueue holds POSIX queues).
SCRATCH_DIRS = (WORK_ROOT, "/tmp", "/dev/shm", "/dev/mqueue")
#: System V IPC objects outlive processes: listed here, removed after every job.
SYSV_IPC = (("/proc/sysvipc/shm", "shmctl"), ("/proc/sysvipc/sem", "semctl"),
            ("/proc/sysvipc/msg", "msgctl"))
IPC_RMID = 0
TRUSTED_RLIMITS = (resource.RLIMIT_CPU, resource.RLIMIT_AS, resource.RLIMIT_FSIZE,
                   resource.RLIMIT_NOFILE, resource.RLIMIT_NPROC, resource.RLIMIT_CORE)
# cgroup v2 and v1 places where the kernel counts OOM kills in this container.
OOM_COUNTERS = ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control")
TRUNCATED = "\n[codeaug: output truncated at {} bytes]\n"
JOB_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "",
}
# Imported once here so forked Python jobs find them warm. Modules are copied on
# fork, so a job that mutates one changes only its own copy.
PRELOAD = (
    "typing", "math", "re", "collections", "itertools", "functools", "heapq", "bisect",
    "string", "fractions", "decimal", "statistics", "hashlib", "copy", "traceback",
    "types", "io", "dataclasses", "threading", "atexit", "operator", "enum",
)  # fmt: skip


def main() -> None:
    identities = split_identities()
    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    # Move the channel off fds 0/1 so no child can inherit it; 0/1 become /dev/null.
    chan_in = os.dup(0)
    chan_out = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    sys.stdout = sys.stderr  # anything we print by mistake goes to the container log
    # Everything imported so far is shared by every forked job: moving it out of the
    # collector's reach keeps a job's garbage collections from touching (and so
    # copying) the parent's pages.
    gc.freeze()
    channel = Channel(chan_in)
    runner = Runner(channel, chan_out, identities)
    _send(chan_out, {"ready": True, "protocol": PROTOCOL,
                     "python": sys.version.split()[0], "uid": os.getuid(),
                     "job_uid": identities[0] if identities else os.getuid()})
    while True:
        line = channel.read_line()
        if line is None:
            return
        if not line.strip():
            continue
        try:
            job = json.loads(line)
            result = runner.run_job(job)
        except Exception as exc:  # report, never die: the host decides what to do
            result = {"id": _job_id(line), "runner_error": f"{type(exc).__name__}: {exc}",
                      "dirty": True}
        _send(chan_out, result)


def split_identities() -> tuple[int, int] | None:
    """Become real/saved uid (and gid) 10001, effective 10002; return the job's (uid, gid).

    None when we were not started through the set-uid interpreter (real == effective,
    for example the runner run by hand): jobs then share our uid, as before.
    """
    ruid, euid, _ = os.getresuid()
    rgid, egid, _ = os.getresgid()
    if ruid == euid:
        return None
    os.setresgid(rgid, egid, rgid)
    os.setresuid(ruid, euid, ruid)
    return euid, egid


class Channel:
    """Lines from the host. The host may send the next job while one runs (pipelining):
    what arrives during a job is kept for later; only end-of-file means it is gone."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.closed = False

    def fill(self) -> bool:
        """Read what is available (blocks if nothing is); False at end of file."""
        data = os.read(self.fd, 1 << 20)
        if not data:
            self.closed = True
            return False
        self.buffer += data
        return True

    def read_line(self) -> bytes | None:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[:end])
                del self.buffer[: end + 1]
                return line
            if self.closed or not self.fill():
                return None


def _job_id(line: bytes) -> str:
    try:
        return str(json.loads(line).get("id", ""))
    except Exception:
        return ""


def _send(fd: int, message: dict) -> None:
    data = (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8", "replace")
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Runner:
    def __init__(self, channel: Channel, chan_out: int,
                 identities: tuple[int, int] | None = None) -> None:
        self.channel = channel
        self.channel_fds = (channel.fd, chan_out)
        self.identities = identities
        self.own_ids = (os.getresuid(), os.getresgid())
        self.own_limits = {r: resource.getrlimit(r) for r in TRUSTED_RLIMITS}

    def trusted(self) -> bool:
        """Whether we are still what we were: our ids and limits (a job cannot change
        them, so a difference means the container is not what we think it is)."""
        return ((os.getresuid(), os.getresgid()) == self.own_ids
                and all(resource.getrlimit(r) == v for r, v in self.own_limits.items()))

    def run_job(self, job: dict) -> dict:
        dirty = not _reset_dir(JOB_DIR)
        os.mkdir(JOB_DIR, 0o700)
        for rel, content in job.get("files", {}).items():
            path = _safe_path(JOB_DIR, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
        results = []
        for step in job.get("steps", []):
            result = self.run_step(step)
            if not result.pop("contained", True):
                dirty = True
            results.append(result)
            ok = result.get("exit_code") == 0 and not result.get("killed_by")
            if step.get("stop_job_on_failure") and not ok:
                break
        # Scrub: nothing of this job may reach the next one. A job whose leftovers we
        # cannot remove, or after which we are not what we were, is reported dirty: the
        # host then discards this container and retries what it had queued elsewhere.
        for scratch in SCRATCH_DIRS:
            if not _empty_dir(scratch):
                dirty = True
        if not _remove_sysv_ipc():
            dirty = True
        if not self.trusted():
            dirty = True
        return {"id": job.get("id", ""), "steps": results, "dirty": dirty}

    def run_step(self, step: dict) -> dict:
        limits = step.get("limits", {})
        wall = float(limits.get("wall_seconds", 10.0))
        cap = int(limits.get("output_bytes", 1 << 20))
        stdin = step.get("stdin", "")
        stdin_path = os.path.join(WORK_ROOT, ".stdin") if stdin else os.devnull
        if stdin:
            with open(stdin_path, "w", encoding="utf-8") as f:
                f.write(stdin)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        oom_before = _oom_kills()
        gc.freeze()  # what the last job's bookkeeping allocated, too
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # child: never returns
            try:
                os.close(out_r)
                os.close(err_r)
                _child(step, limits, stdin_path, out_w, err_w, self.channel_fds,
                       self.identities)
            finally:
                os._exit(127)
        os.close(out_w)
        os.close(err_w)
        captured = {out_r: bytearray(), err_r: bytearray()}
        total = 0
        killed_by = ""
        status = None
        rusage = None
        pidfd = os.pidfd_open(pid)
        poller = select.poll()
        for fd in (out_r, err_r, pidfd):
            poller.register(fd, select.POLLIN)
        # The channel becoming readable means the next job arrived (kept for later) or
        # the host closed it (codeaug exited or was killed): then nobody waits for this
        # job, so stop everything.
        host = self.channel.fd
        if not self.channel.closed:
            poller.register(host, select.POLLIN | select.POLLHUP)
        open_pipes = {out_r, err_r}
        deadline = started + wall
        while status is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                killed_by = "timeout"
                break
            for fd, _ in poller.poll(remaining * 1000):
                if fd == host:
                    if self.channel.fill():
                        continue
                    _kill_everything(pid)
                    os._exit(0)
                if fd == pidfd:
                    _, status, rusage = os.wait4(pid, 0)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    poller.unregister(fd)
                    open_pipes.discard(fd)
                    continue
                total += len(chunk)
                captured[fd] += chunk
                if total > cap:
                    killed_by = "output"
            if killed_by:
                break
        # Whatever happened, nothing of this step survives it.
        contained = _kill_everything(pid)
        if status is None:
            _, status, rusage = os.wait4(pid, 0)
        os.close(pidfd)
        wall_used = time.monotonic() - started
        # Writers are dead now: drain what is left in the pipes, still within the cap.
        for fd in open_pipes:
            while total <= cap:
                ready, _, _ = select.select([fd], [], [], 0.2)
                if not ready:
                    break
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                total += len(chunk)
                captured[fd] += chunk
            if total > cap:
                killed_by = killed_by or "output"
        os.close(out_r)
        os.close(err_r)
        if stdin:
            os.unlink(stdin_path)
        signum = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        cpu = rusage.ru_utime + rusage.ru_stime if rusage else 0.0
        # SIGXCPU comes from RLIMIT_CPU only; SIGKILL at the CPU limit is its hard part.
        # (The rusage total may read a little under the limit: ticks are coarse.)
        cpu_limit = int(limits.get("cpu_seconds", 10))
        if not killed_by and (signum == signal.SIGXCPU or (
                signum == signal.SIGKILL and cpu >= cpu_limit - 0.05)):
            killed_by = "cpu"
        result = {
            "name": step.get("name", ""),
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": signum,
            "killed_by": killed_by,
            "oom_killed": _oom_kills() > oom_before,
            "stdout": _text(captured[out_r], cap),
            "stderr": _text(captured[err_r], cap),
            "wall_seconds": round(wall_used, 6),
            "cpu_seconds": round(cpu, 6),
            "max_rss_kb": rusage.ru_maxrss if rusage else 0,
            "contained": contained,
        }
        return result


def _child(step: dict, limits: dict, stdin_path: str, out_w: int, err_w: int,
           channel_fds: tuple[int, int], identities: tuple[int, int] | None) -> None:
    """Runs in the forked child: isolate, limit, then exec or run the Python script."""
    for fd in channel_fds:  # the job must never be able to speak for the runner
        os.close(fd)
    os.setsid()
    stdin_fd = os.open(stdin_path, os.O_RDONLY)
    os.dup2(stdin_fd, 0)
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    os.closerange(3, 65536)
    os.chdir(JOB_DIR)
    try:  # raising our own OOM score makes the kernel pick the job, not the runner
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    if identities:  # last thing that needs our ids: from here on we are the job user
        uid, gid = identities
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    cpu = int(limits.get("cpu_seconds", 10))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    address_space = int(limits.get("address_space", 1 << 30))
    if address_space > 0:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    file_bytes = int(limits.get("file_bytes", 16 << 20))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    open_files = int(limits.get("open_files", 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    env = dict(JOB_ENV, HOME=JOB_DIR, TMPDIR=JOB_DIR)
    env.update({str(k): str(v) for k, v in step.get("env", {}).items()})
    argv = [str(a) for a in step["argv"]]
    if step.get("python_fork"):
        _run_python(argv, env)
    for sig in (signal.SIGPIPE, signal.SIGXFSZ):  # Python ignores these; exec'd programs must not
        signal.signal(sig, signal.SIG_DFL)
    try:
        os.execvpe(argv[0], argv, env)
    except OSError as exc:
        os.write(2, f"codeaug-runner: cannot execute {argv[0]}: {exc.strerror}\n".encode())
        os._exit(127)


def _run_python(argv: list[str], env: dict[str, str]) -> None:
    """Run ``argv[1]`` as ``__main__`` the way ``python3 script.py`` would, then exit."""
    import atexit
    import builtins
    import io
    import traceback
    import types

    os.environ.clear()
    os.environ.update(env)
    script = argv[1]
    sys.argv = argv[1:]
    sys.path[0] = JOB_DIR
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r"), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w"), encoding="utf-8")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w"), encoding="utf-8",
                                  errors="backslashreplace", line_buffering=True)
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr
    module = types.ModuleType("__main__")
    module.__file__ = os.path.join(JOB_DIR, script)
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    code = 0
    try:
        with open(script, encoding="utf-8") as f:
            source = f.read()
        exec(compile(source, script, "exec"), module.__dict__)
    except SystemExit as exc:
        code = _exit_code(exc)
    except BaseException as exc:
        # Drop our own frame so the traceback reads like the interpreter's.
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next
                                  if exc.__traceback__ else None)
        code = 1
    try:  # what interpreter shutdown does: join non-daemon threads, run atexit hooks
        import threading

        threading._shutdown()  # type: ignore[attr-defined]
        atexit._run_exitfuncs()
    except SystemExit as exc:
        code = _exit_code(exc)
    except BaseException:
        traceback.print_exc()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            code = code or 120  # what CPython exits with when flushing stdout fails
    os._exit(code)


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    print(exc.code, file=sys.stderr)
    return 1


def _kill_everything(pid: int) -> bool:
    """Kill the step's process group and every process it left; False if some survive."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    # kill(-1) reaches every process of the job uid except ourselves and init: daemons
    # that left the group (setsid, double fork) included. Stopping them all first keeps
    # a fork bomb from forking while we kill; repeat until none are left.
    for _ in range(1000):
        if not _others_alive():
            return True
        try:
            os.kill(-1, signal.SIGSTOP)
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            return True
        time.sleep(0.001)
    return not _others_alive()


def _remove_sysv_ipc() -> bool:
    """Remove every System V shared memory segment, semaphore set and message queue
    (the container has its own IPC namespace, so they are all a job's); False if some
    remain. ctypes because the standard library has no System V IPC calls."""
    libc = None
    for table, call in SYSV_IPC:
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            ident = int(row.split()[1])
            if libc is None:
                import ctypes

                libc = ctypes.CDLL(None, use_errno=True)
            if call == "semctl":
                getattr(libc, call)(ident, 0, IPC_RMID)
            else:
                getattr(libc, call)(ident, IPC_RMID, None)
    for table, _ in SYSV_IPC:
        try:
            with open(table) as f:
                if len(f.read().splitlines()) > 1:
                    return False
        except OSError:
            continue
    return True


def _others_alive() -> bool:
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        if pid in (1, me):
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in (b"Z", b"X"):
            return True
    return False


def _oom_kills() -> int:
    for path in OOM_COUNTERS:
        try:
            with open(path) as f:
                for line in f:
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
        except OSError:
            continue
    return 0


def _text(data: bytearray, cap: int) -> str:
    if len(data) > cap:
        return data[:cap].decode("utf-8", "replace") + TRUNCATED.format(cap)
    return data.decode("utf-8", "replace")


def _safe_path(root: str, rel: str) -> str:
    path = os.path.normpath(os.path.join(root, rel))
    if os.path.isabs(rel) or not path.startswith(root + os.sep):
        raise ValueError(f"job file path escapes the work dir: {rel!r}")
    return path


def _reset_dir(path: str) -> bool:
    """Remove ``path`` entirely; False when something could not be removed."""
    if not os.path.lexists(path):
        return True
    _make_writable(path)
    shutil.rmtree(path, ignore_errors=True)
    return not os.path.lexists(path)


def _empty_dir(path: str) -> bool:
    """Remove everything in ``path``; False when something stays (or it cannot be read,
    which is as bad: a job may have hidden something there)."""
    try:
        entries = os.listdir(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    for name in entries:
        full = os.path.join(path, name)
        if os.path.isdir(full) and not os.path.islink(full):
            _reset_dir(full)
        else:
            try:
                os.unlink(full)
            except OSError:
                pass
    try:
        return not os.listdir(path)
    except OSError:
        return False


def _make_writable(path: str) -> None:
    # A job may chmod its files or dirs to 0 to make them undeletable.
    for root, dirs, _ in os.walk(path):
        for d in dirs:
            try:
                os.chmod(os.path.join(root, d), 0o700)
            except OSError:
                pass
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass


if __name__ == "__main__":
    main()

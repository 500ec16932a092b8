"""The hostile-code corpus: programs that attack the sandbox, one entry each.

Every entry is a whole program (an ``io`` problem with one case) in one of the sandboxed
languages, the verdict(s) it must get, and the leaks that matter most for it. Data only:
``test_hostile.py`` runs every entry in a warm container, then checks that the next job
in the same container, the host and the canaries noticed nothing.

Programs that probe a boundary (network, host secrets, the runner) print ``contained``
when every attempt failed and what got through otherwise, so a hole is a ``failed``
verdict naming it. Programs that only want to exhaust something print a word saying
they got there (``filled``, ``exhausted``, ``daemonized``) so the verdict proves it.

Placeholders filled in by the test (:func:`instantiate`): ``@HOST_PORT@`` (a TCP and UDP
listener on the host), ``@HOST_IP@`` (the host's own address), ``@CANARY_FILE@`` and
``@CANARY_DIR@`` (a secret file in the host's temp dir). The secret values themselves
(the canary file's text, the canary environment variable's value) never appear in a
program: the test looks for them in everything a job printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import msgspec

from codeaug.executor.protocol import Limits
from codeaug.record import IoCase, IoTests, Problem
from codeaug.verdict import Status

#: The host environment variable whose value no job may ever see.
CANARY_ENV = "CODEAUG_HOSTILE_CANARY"

# Short names for the verdicts, so the table below reads as one line per program.
TIMEOUT, MEMORY, OUTPUT, ERROR = (Status.TIMEOUT, Status.MEMORY_LIMIT, Status.OUTPUT_LIMIT,
                                  Status.ERROR)
FAILED, PASSED, COMPILE = Status.FAILED, Status.PASSED, Status.COMPILE_ERROR


class Leak(StrEnum):
    """What a case attacks beyond its own verdict. The next-job probe (files, /tmp,
    /dev/shm, IPC objects, processes, rlimits) and the host process list are checked
    after every case; these name the extra checks."""

    CLEANUP = "cleanup"  # leftovers for the next job: the probe alone
    RUNNER = "runner"  # the runner and its channel: same runner pid, nothing forged
    SECRETS = "secrets"  # host environment and files: canary values never printed
    NETWORK = "network"  # the host listener receives nothing
    HOST_FILES = "host_files"  # the host canary dir holds only the canary afterwards


#: Small limits keep the corpus fast; runtimes that reserve address space get none. The
#: output cap is below a pipe's 64 KiB, so a writer that queues output in memory once the
#: pipe is full (node) is still caught by it.
_BASE = Limits(wall_seconds=2, cpu_seconds=2, output_bytes=32 << 10, open_files=64,
               address_space=512 << 20)
LIMITS = {
    "python": msgspec.structs.replace(_BASE, address_space=1 << 30),
    "javascript": msgspec.structs.replace(_BASE, address_space=0),
    "c": _BASE,
    "cpp": _BASE,
    # JVM start-up and its threads: more wall and CPU (the plugin drops RLIMIT_AS).
    "java": msgspec.structs.replace(_BASE, wall_seconds=5, cpu_seconds=10, address_space=0),
    # For Go, address_space is heap (the plugin adds what the runtime reserves).
    "go": msgspec.structs.replace(_BASE, address_space=128 << 20),
    "rust": msgspec.structs.replace(_BASE, address_space=256 << 20),
}
#: Memory bombs stop at their memory limit, not at the clock, but touching memory is slow
#: on a busy virtual machine (under 100 MB/s measured with a load of 18 on 2 cores): they
#: get a lower address-space cap (where the language has one) and more wall time.
MEMORY_BOMB = {"wall_seconds": 10, "cpu_seconds": 10}
SMALL_HEAP = {**MEMORY_BOMB, "address_space": 256 << 20}


@dataclass(frozen=True)
class Case:
    """One hostile program and what the sandbox must make of it."""

    problem: Problem
    expected: frozenset[Status]
    leaks: tuple[Leak, ...]
    limits: Limits = field(default_factory=Limits)

    @property
    def name(self) -> str:
        return self.problem.id

    @property
    def language(self) -> str:
        return self.problem.language


def case(language: str, name: str, expected: Status | set[Status], program: str,
         *leaks: Leak, stdout: str = "contained", **limits: int) -> Case:
    """A whole program run once with empty stdin; ``stdout`` is what it must print;
    ``limits`` override the language's (``wall_seconds=8``)."""
    problem = Problem(id=f"{language}/{name}", language=language, prompt="",
                      solution=program, tests=IoTests(cases=[IoCase(stdin="", stdout=stdout)]))
    wanted = frozenset(expected if isinstance(expected, set) else {expected})
    return Case(problem, wanted, leaks or (Leak.CLEANUP,),
                msgspec.structs.replace(LIMITS[language], **limits))


def instantiate(problem: Problem, values: dict[str, str]) -> Problem:
    """The problem with its ``@NAME@`` placeholders replaced by this run's values."""
    solution = problem.solution
    for key, value in values.items():
        solution = solution.replace(f"@{key}@", value)
    assert "@HOST_" not in solution and "@CANARY_" not in solution, problem.id
    return msgspec.structs.replace(problem, solution=solution)


# ================================================================================ python

PY_NETWORK = r"""
import socket
leaks = []
for host in ("172.17.0.1", "@HOST_IP@", "127.0.0.1"):
    try:
        socket.create_connection((host, @HOST_PORT@), timeout=1).close()
        leaks.append("tcp " + host)
    except OSError:
        pass
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"hostile", (host, @HOST_PORT@))
        if host != "127.0.0.1":  # the container's own loopback exists; the host's does not
            leaks.append("udp " + host)
    except OSError:
        pass
try:
    socket.getaddrinfo("example.com", 80)
    leaks.append("dns")
except OSError:
    pass
for family, kind, proto in ((socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP),
                            (socket.AF_PACKET, socket.SOCK_RAW, 0)):
    try:
        socket.socket(family, kind, proto)
        leaks.append(f"raw socket {family}")
    except OSError:
        pass
print(", ".join(leaks) or "contained")
"""

PY_SECRETS = r"""
import os, socket, sys
leaks, dump = [], [repr(dict(os.environ))]
for path in ("/proc/1/environ", f"/proc/{os.getppid()}/environ", "/proc/self/environ",
             "@CANARY_FILE@", "/proc/1/root@CANARY_FILE@", "/etc/shadow"):
    try:
        with open(path, "rb") as f:
            dump.append(repr(f.read(1 << 16)))
        if "CANARY" in path or path == "/etc/shadow":
            leaks.append(path)
    except OSError:
        pass
for path in ("/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock"):
    try:
        socket.socket(socket.AF_UNIX).connect(path)
        leaks.append(path)
    except OSError:
        pass
print("\n".join(dump), file=sys.stderr)  # the test looks for the canary values in here
print(", ".join(leaks) or "contained")
"""

PY_WRITE_OUTSIDE = r"""
import os
escaped = []
for path in ("/etc/passwd", "/opt/codeaug/runner.py", "/usr/lib/codeaug/runner-python",
             "/usr/bin/evil", "/evil", "/proc/sys/kernel/hostname",
             "/sys/fs/cgroup/memory/memory.limit_in_bytes", "@CANARY_DIR@/evil"):
    try:
        with open(path, "a") as f:
            f.write("x")
        escaped.append(path)
    except OSError:
        pass
# Then leave as much behind as possible wherever writing is allowed.
for top in (".", "/work", "/tmp", "/dev/shm"):
    os.makedirs(f"{top}/left/deep", exist_ok=True)
    with open(f"{top}/left/deep/file", "w") as f:
        f.write("x")
    os.symlink("/etc/passwd", f"{top}/left/link")
    os.mkfifo(f"{top}/left/fifo")
    with open(f"{top}/.hidden", "w") as f:
        f.write("x")
    os.chmod(f"{top}/left/deep", 0)
    os.chmod(f"{top}/left", 0o500)
os.chmod(".", 0o500)
print(", ".join(escaped) or "contained")
"""

PY_FILL_DISK = r"""
import errno, os
def fill(top):
    for i in range(10**6):
        try:
            with open(f"{top}/fill{i}", "wb") as f:
                for _ in range(8):
                    f.write(b"x" * (1 << 20))
        except OSError as exc:
            return exc.errno
codes = {top: fill(top) for top in (".", "/work", "/tmp", "/dev/shm")}
print("filled" if set(codes.values()) == {errno.ENOSPC} else codes)
"""

PY_KILL_EVERYTHING = r"""
import os, signal
os.kill(-1, signal.SIGKILL)  # every process we may signal; the runner must not be one
os.kill(1, signal.SIGKILL)
"""

PY_KILL_RUNNER_FROM_PROC = r"""
import os, signal
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != os.getpid():
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"runner.py" in f.read():
                os.kill(int(pid), signal.SIGKILL)  # PermissionError: the job's verdict
print("the runner was not found")
"""

PY_PTRACE_AND_FORGE = r"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
runner = os.getppid()
holes = []
PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206
for pid in (runner, 1):
    for request in (PTRACE_ATTACH, PTRACE_SEIZE):
        if libc.ptrace(request, pid, None, None) == 0:
            holes.append(f"ptrace {request} {pid}")
# The runner's channel and docker-init's stdout lead to the host: a forged answer there.
forged = b'{"id": "forged", "steps": [], "dirty": false}\n'
for pid in (runner, 1):
    for fd in range(0, 12):
        try:
            out = os.open(f"/proc/{pid}/fd/{fd}", os.O_WRONLY)
            os.write(out, forged)
            holes.append(f"wrote /proc/{pid}/fd/{fd}")
        except OSError:
            pass
    for name in ("mem", "environ", "fd"):
        try:
            if name == "fd":
                os.listdir(f"/proc/{pid}/fd")
            else:
                open(f"/proc/{pid}/{name}", "rb").read(1)
            holes.append(f"read /proc/{pid}/{name}")
        except OSError:
            pass
print(", ".join(holes) or "contained")
"""

PY_DAEMON = r"""
import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        os.closerange(0, 3)
        while True:
            time.sleep(1)
    os._exit(0)
os.wait()
print("daemonized")
"""

PY_THREAD_BOMB = r"""
import os, sys, threading, time
count = 0
try:
    while True:
        threading.Thread(target=time.sleep, args=(10**6,), daemon=True).start()
        count += 1
except RuntimeError:
    print("exhausted")
    sys.stdout.flush()
    os._exit(0)
"""

PY_FD_BOMB = r"""
import errno
files = []
try:
    while True:
        files.append(open("/dev/null"))
except OSError as exc:
    print("exhausted" if exc.errno == errno.EMFILE else exc)
"""

PY_POSIX_MQUEUE = r"""
import ctypes, os
rt = ctypes.CDLL("librt.so.1", use_errno=True)
made = rt.mq_open(b"/left-by-a-job", os.O_CREAT | os.O_RDWR, 0o666, None)
libc = ctypes.CDLL(None, use_errno=True)
segment = libc.shmget(0x5EED, 64 << 20, 0o1666)  # IPC_CREAT | 0666: memory that outlives us
print("left" if made >= 0 and segment >= 0 else f"mq {made} shm {segment}")
"""

PY_CASES = [
    case("python", "fork-bomb", TIMEOUT, "import os\nwhile True:\n    try:\n        os.fork()\n"
         "    except OSError:\n        pass\n"),
    case("python", "memory-bomb", MEMORY,
         "chunks = []\nwhile True:\n    chunks.append(bytearray(64 << 20))\n", **SMALL_HEAP),
    case("python", "fill-work-tmp-and-shm", PASSED, PY_FILL_DISK, stdout="filled"),
    case("python", "endless-lines", OUTPUT, "while True:\n    print('spam')\n"),
    case("python", "endless-stderr-without-newline", OUTPUT,
         "import sys\nwhile True:\n    sys.stderr.write('x' * 4096)\n"),
    case("python", "sleep-forever", TIMEOUT, "import time\ntime.sleep(10**6)\n"),
    case("python", "busy-loop-ignoring-sigterm", TIMEOUT,
         "import signal\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):\n"
         "    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass\n"),
    case("python", "network", PASSED, PY_NETWORK, Leak.NETWORK),
    case("python", "host-secrets", PASSED, PY_SECRETS, Leak.SECRETS, Leak.HOST_FILES),
    case("python", "write-outside-and-leave-files", PASSED, PY_WRITE_OUTSIDE, Leak.HOST_FILES),
    # /work is root's and sticky: the job cannot shut the runner out of it.
    case("python", "chmod-the-work-root", PASSED,
         "import os\ntry:\n    os.chmod('/work', 0)\nexcept PermissionError:\n"
         "    print('contained')\n"),
    case("python", "kill-minus-one-and-init", ERROR, PY_KILL_EVERYTHING, Leak.RUNNER),
    case("python", "kill-runner-found-in-proc", ERROR, PY_KILL_RUNNER_FROM_PROC, Leak.RUNNER),
    case("python", "ptrace-runner-and-forge-its-answer", PASSED, PY_PTRACE_AND_FORGE, Leak.RUNNER),
    case("python", "redirect-own-stdout", FAILED,
         "import os\nos.close(1)\nos.close(2)\nos.open('/dev/null', os.O_WRONLY)\n"
         "print('contained')\n"),
    case("python", "double-fork-setsid-daemon", PASSED, PY_DAEMON, stdout="daemonized"),
    case("python", "thread-bomb", PASSED, PY_THREAD_BOMB, stdout="exhausted"),
    case("python", "fd-exhaustion", PASSED, PY_FD_BOMB, stdout="exhausted"),
    case("python", "posix-mqueue-and-sysv-shm-left", PASSED, PY_POSIX_MQUEUE, stdout="left"),
]

# ============================================================================ javascript

JS_NETWORK = r"""
const net = require("net"), dgram = require("dgram"), dns = require("dns");
const leaks = [], tries = [];
for (const host of ["172.17.0.1", "@HOST_IP@"]) {
  tries.push(new Promise((done) => {
    const s = net.connect({ host, port: @HOST_PORT@, timeout: 1000 });
    s.on("connect", () => { leaks.push("tcp " + host); s.destroy(); done(); });
    s.on("error", done);
    s.on("timeout", () => { s.destroy(); done(); });
  }));
  tries.push(new Promise((done) => {
    const u = dgram.createSocket("udp4");
    u.on("error", () => done());
    u.send("hostile", @HOST_PORT@, host, (err) => {
      if (!err) leaks.push("udp " + host);
      u.close();
      done();
    });
  }));
}
tries.push(dns.promises.lookup("example.com").then(() => leaks.push("dns"), () => {}));
Promise.all(tries).then(() => console.log(leaks.join(", ") || "contained"));
"""

JS_SECRETS = r"""
const fs = require("fs"), net = require("net");
const leaks = [], dump = [JSON.stringify(process.env)];
for (const p of ["/proc/1/environ", `/proc/${process.ppid}/environ`, "@CANARY_FILE@"]) {
  try {
    dump.push(fs.readFileSync(p, "latin1"));
    if (p.includes("CANARY") || p.startsWith("/tmp")) leaks.push(p);
  } catch (e) {}
}
const s = net.connect("/var/run/docker.sock");
s.on("connect", () => { leaks.push("docker.sock"); s.destroy(); report(); });
s.on("error", report);
function report() {
  console.error(dump.join("\n"));
  console.log(leaks.join(", ") || "contained");
}
"""

JS_CASES = [
    case("javascript", "fork-bomb", TIMEOUT,
         'const { spawn } = require("child_process");\n'
         'for (;;) {\n  try {\n'
         '    spawn("sh", ["-c", ":(){ :|:& };:"], { detached: true, stdio: "ignore" });\n'
         "  } catch (e) {}\n}\n"),
    case("javascript", "buffer-memory-bomb", MEMORY,
         "const keep = [];\nfor (;;) keep.push(Buffer.alloc(64 << 20, 1));\n", **MEMORY_BOMB),
    case("javascript", "endless-output-without-newline", OUTPUT,
         'const chunk = "x".repeat(65536);\nfor (;;) process.stdout.write(chunk);\n'),
    case("javascript", "sleep-forever", TIMEOUT, "setInterval(() => {}, 1 << 30);\n"),
    case("javascript", "busy-loop-ignoring-sigterm", TIMEOUT,
         'for (const s of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(s, () => {});\n'
         "for (;;) {}\n"),
    case("javascript", "network", PASSED, JS_NETWORK, Leak.NETWORK),
    case("javascript", "host-secrets", PASSED, JS_SECRETS, Leak.SECRETS, Leak.HOST_FILES),
    case("javascript", "kill-minus-one-and-runner", ERROR,
         'process.kill(-1, "SIGKILL");\nprocess.kill(process.ppid, "SIGKILL");\n'
         'console.log("contained");\n', Leak.RUNNER),
    case("javascript", "detached-daemon", PASSED,
         'const { spawn } = require("child_process");\n'
         'spawn("sh", ["-c", "trap \'\' TERM HUP INT; while :; do sleep 1; done"],\n'
         '      { detached: true, stdio: "ignore" }).unref();\n'
         'console.log("daemonized");\n', stdout="daemonized"),
    case("javascript", "close-own-stdout", FAILED,
         'const fs = require("fs");\nfs.closeSync(1);\nfs.closeSync(2);\n'),
]

# ===================================================================================== c

C_HEADERS = r"""
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
"""

C_FILL_FILE = C_HEADERS + r"""
int main(void) {
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    int fd = open("huge", O_WRONLY | O_CREAT, 0644);
    for (;;) write(fd, block, sizeof block);  /* SIGXFSZ at the file-size limit */
}
"""

C_RAW_SOCKETS = C_HEADERS + r"""
#include <arpa/inet.h>
#include <netinet/in.h>
int main(void) {
    int holes = 0;
    int kinds[][3] = {{AF_INET, SOCK_RAW, IPPROTO_RAW}, {AF_INET, SOCK_RAW, IPPROTO_ICMP},
                      {AF_PACKET, SOCK_RAW, 0}, {AF_INET6, SOCK_RAW, IPPROTO_RAW}};
    for (int i = 0; i < 4; i++)
        if (socket(kinds[i][0], kinds[i][1], kinds[i][2]) >= 0) { printf("raw %d ", i); holes++; }
    const char *hosts[] = {"172.17.0.1", "@HOST_IP@"};
    for (int i = 0; i < 2; i++) {
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(@HOST_PORT@)};
        inet_pton(AF_INET, hosts[i], &to.sin_addr);
        int tcp = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(tcp, (struct sockaddr *)&to, sizeof to) == 0) {
            printf("tcp %s ", hosts[i]);
            holes++;
        }
        int udp = socket(AF_INET, SOCK_DGRAM, 0);
        if (sendto(udp, "hostile", 7, 0, (struct sockaddr *)&to, sizeof to) == 7) {
            printf("udp %s ", hosts[i]); holes++;
        }
    }
    if (!holes) puts("contained");
    return 0;
}
"""

C_KILL_FROM_PROC = C_HEADERS + r"""
int main(void) {
    DIR *proc = opendir("/proc");
    struct dirent *e;
    int refused = 0, killed = 0;
    while ((e = readdir(proc))) {
        int pid = atoi(e->d_name);
        if (pid <= 0 || pid == getpid()) continue;
        if (kill(pid, SIGKILL) == 0) killed++;
        else if (errno == EPERM) refused++;
    }
    fprintf(stderr, "kill: %d killed, %d refused: %s\n", killed, refused, strerror(EPERM));
    return 3;
}
"""

C_KILL_MINUS_ONE = C_HEADERS + r"""
int main(void) {
    kill(-1, SIGKILL);
    if (kill(getppid(), SIGKILL) != 0) { perror("kill runner"); return 3; }
    puts("runner killed");
    return 0;
}
"""

C_FORGE = C_HEADERS + r"""
int main(void) {
    const char *forged = "{\"id\": \"forged\", \"steps\": [], \"dirty\": false}\n";
    int pids[2] = {1, getppid()}, holes = 0;
    char path[64];
    for (int i = 0; i < 2; i++)
        for (int fd = 0; fd < 16; fd++) {
            snprintf(path, sizeof path, "/proc/%d/fd/%d", pids[i], fd);
            int out = open(path, O_WRONLY);
            if (out >= 0 && write(out, forged, strlen(forged)) > 0) {
                printf("%s ", path);
                holes++;
            }
        }
    if (!holes) puts("contained");
    return 0;
}
"""

C_THREAD_BOMB = C_HEADERS + r"""
static void *sleeper(void *arg) { (void)arg; for (;;) pause(); }
int main(void) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 << 10);
    while (pthread_create(&t, &attr, sleeper, NULL) == 0) {}
    puts("exhausted");
    fflush(stdout);
    _exit(0);
}
"""

C_SYSV_IPC = C_HEADERS + r"""
#include <mqueue.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
int main(void) {
    int shm = shmget(0x1234, 1 << 20, IPC_CREAT | 0666);
    char *p = shm >= 0 ? shmat(shm, NULL, 0) : (char *)-1;
    if (p != (char *)-1) strcpy(p, "a message for the next candidate");
    int sem = semget(0x1235, 1, IPC_CREAT | 0666);
    int msg = msgget(0x1236, IPC_CREAT | 0666);
    mqd_t mq = mq_open("/left-by-a-job", O_CREAT | O_RDWR, 0666, NULL);
    if (shm >= 0 && sem >= 0 && msg >= 0 && mq != (mqd_t)-1) puts("left");
    else printf("shm %d sem %d msg %d mq %d\n", shm, sem, msg, (int)mq);
    return 0;
}
"""

C_DAEMON = C_HEADERS + r"""
int main(void) {
    if (fork() == 0) {
        setsid();
        if (fork() == 0) {
            for (int s = 1; s < 32; s++) signal(s, SIG_IGN);
            close(0); close(1); close(2);
            for (;;) pause();
        }
        _exit(0);
    }
    puts("daemonized");
    return 0;
}
"""

C_CASES = [
    case("c", "fork-bomb", TIMEOUT, "#include <unistd.h>\nint main(void) { for (;;) fork(); }\n"),
    case("c", "memory-bomb", MEMORY,
         "#include <stdlib.h>\n#include <string.h>\n"
         "int main(void) {\n"
         "    for (;;) { char *p = malloc(64 << 20); memset(p, 1, 64 << 20); }\n}\n",
         **SMALL_HEAP),
    case("c", "one-file-past-the-size-limit", ERROR, C_FILL_FILE),
    case("c", "endless-putchar", OUTPUT,
         "#include <stdio.h>\nint main(void) { for (;;) putchar('x'); }\n"),
    case("c", "busy-loop-ignoring-every-signal", TIMEOUT,
         "#include <signal.h>\nint main(void) {\n"
         "    for (int s = 1; s < 32; s++) signal(s, SIG_IGN);\n"
         "    for (volatile int i = 0;; i++) {}\n}\n"),
    case("c", "raw-sockets-tcp-udp", PASSED, C_RAW_SOCKETS, Leak.NETWORK),
    case("c", "kill-everything-found-in-proc", ERROR, C_KILL_FROM_PROC, Leak.RUNNER),
    case("c", "kill-minus-one-and-runner", ERROR, C_KILL_MINUS_ONE, Leak.RUNNER),
    case("c", "forge-answer-through-proc-fds", PASSED, C_FORGE, Leak.RUNNER),
    case("c", "thread-bomb", PASSED, C_THREAD_BOMB, stdout="exhausted"),
    case("c", "include-dev-zero", MEMORY, '#include "/dev/zero"\nint main(void) { return 0; }\n'),
    case("c", "include-itself", COMPILE, "#include __FILE__\nint main(void) { return 0; }\n"),
    case("c", "sysv-ipc-and-mqueue-left", PASSED, C_SYSV_IPC, stdout="left"),
    case("c", "setsid-daemon", PASSED, C_DAEMON, stdout="daemonized"),
]

# =================================================================================== cpp

CPP_SECRETS = r"""
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
extern char **environ;
int main() {
    std::string leaks;
    for (char **e = environ; *e; e++) std::cerr << *e << "\n";
    for (std::string path : {"/proc/1/environ", "@CANARY_FILE@", "/etc/shadow"}) {
        std::ifstream in(path, std::ios::binary);
        if (!in) continue;
        std::stringstream text;
        text << in.rdbuf();
        std::cerr << text.str() << "\n";
        if (path != "/proc/1/environ") leaks += path + " ";
    }
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un docker{};
    docker.sun_family = AF_UNIX;
    std::string("/var/run/docker.sock").copy(docker.sun_path, sizeof docker.sun_path - 1);
    if (connect(s, reinterpret_cast<sockaddr *>(&docker), sizeof docker) == 0)
        leaks += "docker.sock";
    std::cout << (leaks.empty() ? "contained" : leaks) << std::endl;
}
"""

CPP_THREAD_BOMB = r"""
#include <cstdio>
#include <system_error>
#include <thread>
#include <unistd.h>
int main() {
    try {
        for (;;) std::thread([] { for (;;) pause(); }).detach();
    } catch (const std::system_error &) {
        std::puts("exhausted");
        std::fflush(stdout);
        _exit(0);
    }
}
"""

CPP_CASES = [
    case("cpp", "template-recursion", COMPILE,
         "template <int N> struct Bomb { static const int value = Bomb<N + 1>::value + 1; };\n"
         "int main() { return Bomb<0>::value; }\n"),
    case("cpp", "memory-bomb", MEMORY,
         "#include <string>\n#include <vector>\n"
         "int main() {\n    std::vector<std::string> keep;\n"
         "    for (;;) keep.emplace_back(64 << 20, 'x');\n}\n", **SMALL_HEAP),
    case("cpp", "thread-bomb", PASSED, CPP_THREAD_BOMB, stdout="exhausted"),
    case("cpp", "endless-endl", OUTPUT,
         "#include <iostream>\nint main() { for (;;) std::cout << \"spam\" << std::endl; }\n"),
    case("cpp", "sleep-forever", TIMEOUT,
         "#include <chrono>\n#include <thread>\n"
         "int main() { std::this_thread::sleep_for(std::chrono::hours(1000)); }\n"),
    case("cpp", "host-secrets", PASSED, CPP_SECRETS, Leak.SECRETS, Leak.HOST_FILES),
    case("cpp", "close-own-stdout", FAILED,
         "#include <cstdio>\n#include <unistd.h>\n"
         "int main() { std::fclose(stdout); close(1); close(2); return 0; }\n"),
]

# ================================================================================== java

JAVA_CONSTANTS = (
    "public class Main {\n"
    "    static final int[] DATA = {\n" + "".join(f"        {i * 7919},\n" for i in range(20000))
    + "    };\n"
    "    public static void main(String[] args) { System.out.println(DATA.length); }\n"
    "}\n"
)

JAVA_KILL = r"""
public class Main {
    public static void main(String[] args) {
        ProcessHandle me = ProcessHandle.current();
        boolean runner = me.parent().map(ProcessHandle::destroyForcibly).orElse(false);
        long others = ProcessHandle.allProcesses().filter(p -> p.pid() != me.pid())
                .filter(ProcessHandle::destroyForcibly).count();
        System.err.println("destroyForcibly: runner " + runner + ", others " + others);
        System.exit(3);
    }
}
"""

JAVA_NETWORK = r"""
import java.net.*;
public class Main {
    public static void main(String[] args) {
        StringBuilder leaks = new StringBuilder();
        for (String host : new String[] {"172.17.0.1", "@HOST_IP@"}) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, @HOST_PORT@), 1000);
                leaks.append("tcp ").append(host).append(' ');
            } catch (Exception e) {}
            try (DatagramSocket u = new DatagramSocket()) {
                InetAddress to = InetAddress.getByName(host);
                u.send(new DatagramPacket(new byte[] {1}, 1, to, @HOST_PORT@));
                leaks.append("udp ").append(host).append(' ');
            } catch (Exception e) {}
        }
        try {
            InetAddress.getByName("example.com");
            leaks.append("dns");
        } catch (Exception e) {}
        System.out.println(leaks.length() == 0 ? "contained" : leaks.toString());
    }
}
"""

JAVA_CASES = [
    case("java", "memory-bomb", MEMORY,
         "import java.util.*;\npublic class Main {\n"
         "    public static void main(String[] args) {\n"
         "        List<long[]> keep = new ArrayList<>();\n"
         "        for (;;) keep.add(new long[1 << 24]);\n    }\n}\n", **MEMORY_BOMB),
    case("java", "thread-bomb", MEMORY,
         "public class Main {\n    public static void main(String[] args) {\n"
         "        for (;;) {\n            Thread t = new Thread(() -> {\n"
         "                try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) {}\n"
         "            });\n            t.setDaemon(true);\n            t.start();\n"
         "        }\n    }\n}\n"),
    case("java", "enormous-constant-array", COMPILE, JAVA_CONSTANTS),
    case("java", "endless-output-without-newline", OUTPUT,
         "public class Main {\n    public static void main(String[] args) {\n"
         "        for (;;) System.out.print('x');\n    }\n}\n"),
    case("java", "fork-bomb", TIMEOUT,
         "public class Main {\n    public static void main(String[] args) {\n"
         "        for (;;) {\n            try {\n"
         '                new ProcessBuilder("sh", "-c", ":(){ :|:& };:").start();\n'
         "            } catch (Exception e) {}\n        }\n    }\n}\n"),
    case("java", "destroy-runner-and-all-processes", ERROR, JAVA_KILL, Leak.RUNNER),
    case("java", "network", PASSED, JAVA_NETWORK, Leak.NETWORK),
]

# ==================================================================================== go

GO_NETWORK = r"""
package main

import (
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"
)

func main() {
	var leaks []string
	for _, host := range []string{"172.17.0.1", "@HOST_IP@"} {
		address := fmt.Sprintf("%s:%d", host, @HOST_PORT@)
		if c, err := net.DialTimeout("tcp", address, time.Second); err == nil {
			c.Close()
			leaks = append(leaks, "tcp "+host)
		}
		if c, err := net.Dial("udp", address); err == nil {
			if _, err := c.Write([]byte("hostile")); err == nil {
				leaks = append(leaks, "udp "+host)
			}
		}
	}
	if _, err := net.LookupHost("example.com"); err == nil {
		leaks = append(leaks, "dns")
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_RAW, syscall.IPPROTO_ICMP)
	if err == nil {
		syscall.Close(fd)
		leaks = append(leaks, "raw socket")
	}
	if len(leaks) == 0 {
		fmt.Println("contained")
	} else {
		fmt.Println(strings.Join(leaks, ", "))
	}
}
"""

GO_KILL = r"""
package main

import (
	"fmt"
	"os"
	"syscall"
)

func main() {
	syscall.Kill(-1, syscall.SIGKILL)
	if err := syscall.Kill(os.Getppid(), syscall.SIGKILL); err != nil {
		fmt.Fprintln(os.Stderr, "kill runner:", err)
		os.Exit(3)
	}
	fmt.Println("runner killed")
}
"""

GO_THREAD_BOMB = r"""
package main

import "syscall"

func main() {
	var fds [2]int
	syscall.Pipe(fds[:])
	for {
		go func() {
			buf := make([]byte, 1)
			syscall.Read(fds[0], buf) // blocks an OS thread each
		}()
	}
}
"""

GO_CASES = [
    # The Go runtime's fatal error prints every goroutine's stack: past the output cap
    # before the process is gone, so output_limit is as right as memory_limit/error (and
    # printing 100,000 stacks takes seconds: the goroutine bomb gets a memory bomb's time).
    case("go", "goroutine-bomb", {MEMORY, OUTPUT},
         "package main\n\nfunc main() {\n\tfor {\n\t\tgo func() { select {} }()\n\t}\n}\n",
         **MEMORY_BOMB),
    case("go", "thread-bomb", {ERROR, OUTPUT}, GO_THREAD_BOMB),
    case("go", "fork-bomb", TIMEOUT,
         'package main\n\nimport "os/exec"\n\nfunc main() {\n'
         '\tfor {\n\t\texec.Command("/proc/self/exe").Start()\n\t}\n}\n'),
    case("go", "memory-bomb", MEMORY,
         'package main\n\nimport "bytes"\n\nfunc main() {\n\tvar keep [][]byte\n\tfor {\n'
         "\t\tkeep = append(keep, bytes.Repeat([]byte{1}, 64<<20))\n\t}\n}\n",
         **MEMORY_BOMB, address_space=64 << 20),
    case("go", "endless-output", OUTPUT,
         'package main\n\nimport "os"\n\nfunc main() {\n'
         '\tfor {\n\t\tos.Stdout.WriteString("spam spam spam\\n")\n\t}\n}\n'),
    case("go", "sleep-forever", TIMEOUT,
         'package main\n\nimport "time"\n\nfunc main() { time.Sleep(time.Hour) }\n'),
    case("go", "network", PASSED, GO_NETWORK, Leak.NETWORK),
    case("go", "kill-minus-one-and-runner", ERROR, GO_KILL, Leak.RUNNER),
    case("go", "generic-instantiation-cycle", COMPILE,
         "package main\n\nfunc f[T any](n int) {\n\tif n > 0 {\n\t\tf[*T](n - 1)\n\t}\n}\n\n"
         "func main() { f[int](1) }\n"),
]

# ================================================================================== rust

RUST_LIBC = r"""
extern "C" {
    fn fork() -> i32;
    fn setsid() -> i32;
    fn kill(pid: i32, sig: i32) -> i32;
    fn getppid() -> i32;
    fn signal(sig: i32, handler: usize) -> usize;
}
"""

RUST_SECRETS = r"""
use std::io::Write;
fn main() {
    let mut leaks = Vec::new();
    let mut err = std::io::stderr();
    for (k, v) in std::env::vars() {
        writeln!(err, "{}={}", k, v).ok();
    }
    for path in ["/proc/1/environ", "@CANARY_FILE@", "/etc/shadow"] {
        if let Ok(bytes) = std::fs::read(path) {
            writeln!(err, "{}", String::from_utf8_lossy(&bytes)).ok();
            if path != "/proc/1/environ" {
                leaks.push(path.to_string());
            }
        }
    }
    if std::os::unix::net::UnixStream::connect("/var/run/docker.sock").is_ok() {
        leaks.push("docker.sock".to_string());
    }
    println!("{}", if leaks.is_empty() { "contained".to_string() } else { leaks.join(", ") });
}
"""

RUST_CASES = [
    case("rust", "memory-bomb", MEMORY,
         "fn main() {\n    let mut keep: Vec<Vec<u8>> = Vec::new();\n    loop {\n"
         "        let mut block: Vec<u8> = Vec::with_capacity(64 << 20);\n"
         "        unsafe {\n            std::ptr::write_bytes(block.as_mut_ptr(), 1, 64 << 20);\n"
         "            block.set_len(64 << 20);\n        }\n        keep.push(block);\n"
         "    }\n}\n", **SMALL_HEAP),
    case("rust", "thread-bomb", PASSED,
         "fn main() {\n    loop {\n"
         "        let spawned = std::thread::Builder::new().stack_size(64 << 10)\n"
         "            .spawn(|| loop { std::thread::park(); });\n"
         "        if spawned.is_err() {\n            println!(\"exhausted\");\n"
         "            std::process::exit(0);\n        }\n    }\n}\n", stdout="exhausted"),
    case("rust", "endless-output-without-newline", OUTPUT,
         "use std::io::Write;\nfn main() {\n    let mut out = std::io::stdout().lock();\n"
         "    loop {\n        let _ = out.write_all(&[b'x'; 4096]);\n    }\n}\n"),
    case("rust", "busy-loop-ignoring-sigterm", TIMEOUT, RUST_LIBC +
         "fn main() {\n    for sig in [1, 2, 15, 24] {\n        unsafe { signal(sig, 1); }\n    }\n"
         "    loop {\n        std::hint::spin_loop();\n    }\n}\n"),
    case("rust", "fork-bomb", TIMEOUT, RUST_LIBC +
         "fn main() {\n    loop {\n        unsafe { fork(); }\n    }\n}\n"),
    case("rust", "macro-recursion", COMPILE,
         "macro_rules! bomb { () => { bomb!(); bomb!(); }; }\nfn main() { bomb!(); }\n"),
    case("rust", "include-bytes-dev-zero", MEMORY,
         'static ZEROS: &[u8] = include_bytes!("/dev/zero");\n'
         'fn main() { println!("{}", ZEROS.len()); }\n'),
    case("rust", "kill-minus-one-and-runner", ERROR, RUST_LIBC +
         "fn main() {\n    unsafe {\n        kill(-1, 9);\n        if kill(getppid(), 9) != 0 {\n"
         '            eprintln!("kill runner: {}", std::io::Error::last_os_error());\n'
         "            std::process::exit(3);\n        }\n    }\n}\n", Leak.RUNNER),
    case("rust", "setsid-daemon", PASSED, RUST_LIBC +
         "fn main() {\n    unsafe {\n        if fork() == 0 {\n            setsid();\n"
         "            if fork() == 0 {\n                for sig in 1..32 { signal(sig, 1); }\n"
         "                loop { std::thread::sleep(std::time::Duration::from_secs(1)); }\n"
         "            }\n            std::process::exit(0);\n        }\n    }\n"
         '    println!("daemonized");\n}\n', stdout="daemonized"),
    case("rust", "host-secrets", PASSED, RUST_SECRETS, Leak.SECRETS, Leak.HOST_FILES),
    case("rust", "fd-exhaustion", PASSED,
         "fn main() {\n    let mut files = Vec::new();\n"
         '    while let Ok(f) = std::fs::File::open("/dev/null") {\n        files.push(f);\n    }\n'
         '    println!("exhausted");\n}\n', stdout="exhausted"),
]

CORPUS: list[Case] = [*PY_CASES, *JS_CASES, *C_CASES, *CPP_CASES, *JAVA_CASES, *GO_CASES,
                      *RUST_CASES]

"""Sandbox images: built offline from the machine's Debian package sources.

An image definition is a folder ``sandbox/<name>/`` holding ``packages.txt`` (Debian
packages, one per line). Every definition shares ``sandbox/Dockerfile``, which adds
the in-container runner and an unprivileged user on top of a root filesystem.

Each definition yields two images, both tagged by content hashes so that a tag
existing *is* the proof that it is current:

* ``codeaug-rootfs-<name>:<hash16>``: the packages, built by ``mmdebstrap`` from the
  machine's own apt sources and streamed into the engine as an import (no base image
  is pulled, no registry host is named anywhere), or on machines that can pull, built
  with ``sandbox/base.Dockerfile``;
* ``codeaug-sandbox-<name>:<hash16>``: the rootfs plus ``sandbox/Dockerfile``; this is
  what jobs run in, and its image ID is recorded as provenance.

:func:`ensure_image` is the entry point: one image inspect when the image exists, a
locked build (shared with concurrent processes) when it does not.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import docker
import docker.errors
import requests.exceptions

from codeaug.errors import DockerUnavailableError, ImageBuildError

#: Bump when the build recipe changes (mmdebstrap options, labels, context layout):
#: every image, rootfs included, then gets a new tag.
BUILDER_VERSION = "1"

SANDBOX_REPO_PREFIX = "codeaug-sandbox-"
ROOTFS_REPO_PREFIX = "codeaug-rootfs-"

LABEL_HASH = "org.codeaug.definition-hash"
LABEL_IMAGE = "org.codeaug.image"
LABEL_BUILDER = "org.codeaug.builder-version"
LABEL_ROLE = "org.codeaug.role"
LABEL_SUITE = "org.codeaug.debian-suite"
LABEL_SOURCE = "org.codeaug.rootfs-source"
LABEL_BASE = "org.codeaug.rootfs"

#: Used when the host's /etc/os-release names no codename (a non-Debian host that
#: can only use the pull path, whose default base is this suite).
DEFAULT_SUITE = "bookworm"

#: Environment overrides: the Debian suite, and where locks live.
ENV_SUITE = "CODEAUG_DEBIAN_SUITE"
ENV_CACHE_DIR = "CODEAUG_CACHE_DIR"

#: Files not needed in a sandbox; copyright files stay for license compliance.
DPKG_PATH_EXCLUDES = (
    "/usr/share/doc/*",
    "/usr/share/man/*",
    "/usr/share/locale/*",
    "/usr/share/info/*",
)
# The man1 directory is kept, empty, because some maintainer scripts (the JDK's) fail
# without it: included, then its contents excluded again (dpkg: the last match decides).
DPKG_PATH_INCLUDES = ("/usr/share/doc/*/copyright", "/usr/share/man/man1")
DPKG_PATH_REEXCLUDES = ("/usr/share/man/man1/*",)

# Debian package names (policy 5.6.1), optionally with an arch qualifier or a version.
# Validating them also keeps the list safe to pass through a shell in base.Dockerfile.
_PACKAGE_RE = re.compile(r"^[a-z0-9][a-z0-9+.\-]+(:[a-z0-9\-]+)?(=[A-Za-z0-9.+~:\-]+)?$")

# What Docker accepts as (part of) a repository name.
_NAME_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImageSpec:
    """Names an image definition: the folder ``sandbox/<name>/`` shipped in the wheel.

    ``root`` replaces :func:`sandbox_dir` (tests, out-of-tree definitions); ``suite``
    pins the Debian suite instead of the host's (see :func:`debian_suite`).
    """

    name: str
    root: Path | None = field(default=None, compare=True)
    suite: str | None = None

    def __post_init__(self) -> None:
        if not _NAME_RE.match(self.name):
            raise ValueError(f"image name {self.name!r} is not a valid Docker repository part")

    @property
    def sandbox_root(self) -> Path:
        return self.root if self.root is not None else sandbox_dir()

    @property
    def definition_dir(self) -> Path:
        return self.sandbox_root / self.name


@dataclass(frozen=True)
class ImageRef:
    """A built sandbox image. ``id`` ("sha256:...") is the content digest recorded as
    provenance: the tag says which definition, the id says exactly which bytes."""

    tag: str
    id: str
    name: str


@dataclass(frozen=True)
class ImageStatus:
    """One row of ``codeaug sandbox status``; the last three are None when not built."""

    name: str
    tag: str
    ready: bool
    id: str | None = None
    size: int | None = None
    created: str | None = None


def sandbox_dir() -> Path:
    """The ``sandbox/`` folder (image definitions and the in-container runner).

    In a wheel it is installed as ``codeaug/_sandbox``; in a source checkout (editable
    install) it is the top-level ``sandbox/`` beside the package.
    """
    here = Path(__file__).resolve().parent
    shipped = here / "_sandbox"
    return shipped if shipped.is_dir() else here.parent / "sandbox"


# --------------------------------------------------------------------------- definition


def _read(path: Path, spec: ImageSpec) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImageBuildError(
            _sandbox_tag_name(spec), f"cannot read image definition file {path}: {exc}"
        ) from exc


def _sandbox_tag_name(spec: ImageSpec) -> str:
    return f"{SANDBOX_REPO_PREFIX}{spec.name}"


def parse_packages(text: str) -> list[str]:
    """Package names from a ``packages.txt``: ``#`` starts a comment, blank lines skip.

    Raises ValueError on a name that is not a Debian package name.
    """
    packages: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        for word in raw.split("#", 1)[0].split():
            if not _PACKAGE_RE.match(word):
                raise ValueError(f"line {lineno}: {word!r} is not a Debian package name")
            if word not in packages:
                packages.append(word)
    return packages


def read_packages(spec: ImageSpec) -> list[str]:
    """The validated package list of ``spec``; an empty list is an error."""
    path = spec.definition_dir / "packages.txt"
    try:
        packages = parse_packages(_read(path, spec).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImageBuildError(_sandbox_tag_name(spec), f"{path}: {exc}") from exc
    if not packages:
        raise ImageBuildError(_sandbox_tag_name(spec), f"{path} lists no packages")
    return packages


def debian_suite(spec: ImageSpec | None = None, os_release: Path = Path("/etc/os-release")) -> str:
    """The suite to build from: ``spec.suite``, else ``$CODEAUG_DEBIAN_SUITE``, else the
    host's ``VERSION_CODENAME`` (the machine's apt sources serve that suite)."""
    if spec is not None and spec.suite:
        return spec.suite
    env = os.environ.get(ENV_SUITE, "").strip()
    if env:
        return env
    try:
        text = os_release.read_text(encoding="utf-8")
    except OSError:
        return DEFAULT_SUITE
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == "VERSION_CODENAME":
            value = value.strip().strip("\"'")
            if value:
                return value
    return DEFAULT_SUITE


def _digest(parts: Sequence[tuple[str, bytes]]) -> str:
    # Length-prefixed records: no two different inputs can concatenate the same way.
    h = hashlib.sha256()
    for label, data in parts:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def rootfs_hash(spec: ImageSpec) -> str:
    """Hash of what the root filesystem depends on: the package list, the suite, the
    paths dpkg keeps or drops, and the builder version (runner or Dockerfile edits must
    not redo the slow part)."""
    packages = read_packages(spec)
    return _digest(
        [
            ("builder-version", BUILDER_VERSION.encode()),
            ("suite", debian_suite(spec).encode()),
            ("packages", "\n".join(packages).encode()),
            ("dpkg-paths", "\n".join(_dpkg_path_options()).encode()),
        ]
    )


def _dpkg_path_options() -> list[str]:
    # Order matters to dpkg: the last pattern that matches a path decides.
    return ([f"--dpkgopt=path-exclude={p}" for p in DPKG_PATH_EXCLUDES]
            + [f"--dpkgopt=path-include={p}" for p in DPKG_PATH_INCLUDES]
            + [f"--dpkgopt=path-exclude={p}" for p in DPKG_PATH_REEXCLUDES])


def definition_hash(spec: ImageSpec) -> str:
    """sha256 over everything that decides the final image's content."""
    root = spec.sandbox_root
    return _digest(
        [
            ("builder-version", BUILDER_VERSION.encode()),
            ("suite", debian_suite(spec).encode()),
            ("packages.txt", _read(spec.definition_dir / "packages.txt", spec)),
            ("Dockerfile", _read(root / "Dockerfile", spec)),
            ("base.Dockerfile", _read(root / "base.Dockerfile", spec)),
            ("runner.py", _read(root / "runner.py", spec)),
            ("rootfs", rootfs_hash(spec).encode()),  # the base it is built on
            *(
                (f"definition/{path.relative_to(spec.definition_dir)}", path.read_bytes())
                for path in _definition_files(spec)
            ),
        ]
    )


def _definition_files(spec: ImageSpec) -> list[Path]:
    """Every file of ``sandbox/<name>/`` (packages.txt, setup.sh, prepare.sh, data)."""
    return sorted(p for p in spec.definition_dir.rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts)


def image_tag(spec: ImageSpec) -> str:
    """``codeaug-sandbox-<name>:<first 16 hex of the definition hash>``."""
    return f"{SANDBOX_REPO_PREFIX}{spec.name}:{definition_hash(spec)[:16]}"


def rootfs_tag(spec: ImageSpec) -> str:
    """``codeaug-rootfs-<name>:<first 16 hex of the rootfs hash>``."""
    return f"{ROOTFS_REPO_PREFIX}{spec.name}:{rootfs_hash(spec)[:16]}"


# --------------------------------------------------------------------- offline rootfs


def apt_source_files(etc_apt: Path = Path("/etc/apt")) -> list[Path]:
    """The machine's apt source files, in apt's reading order.

    Passed to mmdebstrap as MIRROR arguments: it pastes an existing file's content
    into the chroot's sources, so the image uses whatever mirror the machine uses.
    """
    found: list[Path] = []
    main = etc_apt / "sources.list"
    if main.is_file():
        found.append(main)
    parts = etc_apt / "sources.list.d"
    if parts.is_dir():
        found.extend(
            sorted(
                (p for p in parts.iterdir() if p.is_file() and p.suffix in (".list", ".sources")),
                key=lambda p: p.name,
            )
        )
    return found


def mmdebstrap_argv(
    packages: Sequence[str],
    suite: str,
    sources: Sequence[Path],
    *,
    as_root: bool,
    executable: str = "mmdebstrap",
) -> list[str]:
    """The mmdebstrap command line that writes the rootfs tarball to stdout.

    Root uses mmdebstrap's root mode; anyone else needs user namespaces (unshare).
    """
    argv = [
        executable,
        "--variant=minbase",
        f"--mode={'root' if as_root else 'unshare'}",
        "--format=tar",
        f"--include={','.join(packages)}",
    ]
    argv += _dpkg_path_options()
    argv += ["--", suite, "-"]
    argv += [str(s) for s in sources]
    return argv


def label_instruction(labels: dict[str, str]) -> str:
    """One ``LABEL`` instruction for all labels.

    Not ``images.build(labels=...)``: the classic builder commits one layer per label,
    about a second each on some storage drivers.
    """
    args = " ".join(
        f"{k}={json.dumps(v).replace('$', chr(92) + '$')}" for k, v in sorted(labels.items())
    )
    return f"LABEL {args}"


def _import_changes(labels: dict[str, str]) -> list[str]:
    # An imported tarball has no config at all; give it what a Debian image has.
    return [
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        label_instruction(labels),
        'CMD ["bash"]',
    ]


def _tail(lines: Sequence[str], n: int = 40) -> str:
    return "\n".join(list(lines)[-n:])


def _build_rootfs_offline(
    client: docker.DockerClient, spec: ImageSpec, tag: str, labels: dict[str, str]
) -> str:
    """Run mmdebstrap and stream its tarball into ``docker import``; returns the ID.

    The import is untagged until mmdebstrap has exited 0, so a truncated tarball
    can never become a tagged rootfs.
    """
    exe = shutil.which("mmdebstrap")
    if exe is None:
        raise ImageBuildError(
            tag,
            "mmdebstrap is not installed; install it with `apt-get install mmdebstrap` "
            "(or build from a pullable base image with from_image=...)",
        )
    sources = apt_source_files()
    if not sources:
        raise ImageBuildError(
            tag,
            "no apt sources found in /etc/apt/sources.list or /etc/apt/sources.list.d/; "
            "configure apt, or build from a pullable base image with from_image=...",
        )
    argv = mmdebstrap_argv(
        read_packages(spec),
        debian_suite(spec),
        sources,
        as_root=os.geteuid() == 0,
        executable=exe,
    )
    log: deque[str] = deque(maxlen=200)
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    stderr_reader = threading.Thread(target=_drain, args=(proc.stderr, log), daemon=True)
    stderr_reader.start()

    def chunks(stream: IO[bytes]) -> Iterator[bytes]:
        while chunk := stream.read(1 << 20):
            yield chunk
        if proc.wait() != 0:
            # Aborts the chunked upload, so the engine discards the partial import.
            raise _MmdebstrapFailed(proc.returncode)

    image_id: str | None = None
    import_error: Exception | None = None
    killed = False
    try:
        result = client.api.import_image(
            src=chunks(proc.stdout), changes=_import_changes(labels), stream_src=True
        )
        image_id = _import_result_id(result)
    except Exception as exc:  # judged below, once mmdebstrap's exit status is known
        import_error = exc
    finally:
        if proc.poll() is None:
            killed = True  # the import gave up first; mmdebstrap is not to blame
            proc.kill()
        proc.wait()
        proc.stdout.close()
        stderr_reader.join(timeout=10)
        proc.stderr.close()
    if proc.returncode != 0 and not killed:
        if image_id is not None:
            with contextlib.suppress(docker.errors.DockerException):
                client.images.remove(image_id, force=True)
        raise ImageBuildError(
            tag,
            f"mmdebstrap exited with status {proc.returncode}: {' '.join(argv)}",
            _tail(log),
        ) from import_error
    if isinstance(import_error, requests.exceptions.ConnectionError):
        raise _unavailable(import_error) from import_error
    if import_error is not None or image_id is None:
        raise ImageBuildError(
            tag, f"docker import failed: {import_error}", _tail(log)
        ) from import_error
    repo, _, version = tag.partition(":")
    client.api.tag(image_id, repo, version, force=True)
    return image_id


class _MmdebstrapFailed(Exception):
    def __init__(self, returncode: int) -> None:
        super().__init__(f"mmdebstrap exited with status {returncode}")


def _drain(stream: IO[bytes], log: deque[str]) -> None:
    for raw in stream:
        log.append(raw.decode("utf-8", "replace").rstrip())


def _import_result_id(result: Any) -> str:
    """The image ID from the engine's import reply (a JSON-lines progress stream)."""
    text = result if isinstance(result, str) else json.dumps(result)
    image_id: str | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        if msg.get("error"):
            raise docker.errors.APIError(str(msg["error"]))
        status = str(msg.get("status", ""))
        if status.startswith("sha256:"):
            image_id = status
    if image_id is None:
        raise docker.errors.APIError(f"unexpected import reply: {text[:200]!r}")
    return image_id


# ------------------------------------------------------------------------ docker builds


def base_build_kwargs(spec: ImageSpec, from_image: str, context: Path, tag: str) -> dict[str, Any]:
    """``images.build`` arguments for the pull path's rootfs (``base.Dockerfile``).

    It needs the network (apt inside the build), unlike the final stage.
    """
    return {
        "path": str(context),
        "dockerfile": "Dockerfile",
        "buildargs": {"FROM_IMAGE": from_image, "PACKAGES": " ".join(read_packages(spec))},
        "tag": tag,
        "rm": True,
        "forcerm": True,
    }


def final_build_kwargs(context: Path, base_tag: str, tag: str) -> dict[str, Any]:
    """``images.build`` arguments for the final stage: offline, from the local rootfs."""
    return {
        "path": str(context),
        "dockerfile": "Dockerfile",
        "buildargs": {"BASE": base_tag},
        "tag": tag,
        "network_mode": "none",
        "pull": False,
        "rm": True,
        "forcerm": True,
    }


def _context(tmp: Path, files: dict[str, Path], labels: dict[str, str]) -> Path:
    """A build context holding exactly ``files`` (name in context -> source), with
    ``labels`` appended to its Dockerfile as a single instruction."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name, src in files.items():
        dst = tmp / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        dst.chmod(0o644)  # the host's umask must not leak into the image
    dockerfile = tmp / "Dockerfile"
    text = dockerfile.read_text(encoding="utf-8").rstrip("\n")
    dockerfile.write_text(
        f"{text}\n\n# added by codeaug.images\n{label_instruction(labels)}\n", encoding="utf-8"
    )
    return tmp


def _prepare(spec: ImageSpec, definition: Path, on_progress: Progress | None) -> None:
    """Run the definition's ``prepare.sh`` on the host, inside the build context.

    The image build itself has no network; this is where a definition fetches what
    the Debian sources lack (crates of a pinned version, say) from the registries the
    host can reach. The script's content is part of the definition hash, so it must pin
    what it fetches.
    """
    script = definition / "prepare.sh"
    if not script.exists():
        return
    _say(on_progress, f"preparing {spec.name} build context (prepare.sh)...")
    proc = subprocess.run(["sh", str(script)], cwd=definition, capture_output=True, text=True)
    if proc.returncode != 0:
        log = (proc.stdout + proc.stderr).splitlines()
        raise ImageBuildError(image_tag(spec), f"prepare.sh exited {proc.returncode}",
                              _tail(log))


def _docker_build(client: docker.DockerClient, kwargs: dict[str, Any]) -> str:
    tag = str(kwargs["tag"])
    try:
        image, _logs = client.images.build(**kwargs)
    except docker.errors.BuildError as exc:
        lines = [
            str(chunk.get("stream") or chunk.get("error") or "").rstrip()
            for chunk in exc.build_log
            if isinstance(chunk, dict)
        ]
        raise ImageBuildError(
            tag, f"docker build failed: {exc.msg}", _tail([ln for ln in lines if ln])
        ) from exc
    except docker.errors.APIError as exc:
        raise ImageBuildError(tag, f"docker build failed: {exc}") from exc
    image_id = image.id
    if image_id is None:
        raise ImageBuildError(tag, "docker build returned no image ID")
    return str(image_id)


# ---------------------------------------------------------------------- locking, entry


def cache_dir() -> Path:
    """``$CODEAUG_CACHE_DIR``, else ``$XDG_CACHE_HOME/codeaug``, else ``~/.cache/codeaug``."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "codeaug"


@contextlib.contextmanager
def _build_lock(spec: ImageSpec, on_progress: Progress | None) -> Iterator[None]:
    """Exclusive per-definition lock shared by every process on this machine."""
    lock_dir = cache_dir() / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"image-{spec.name}.lock", "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _say(
                on_progress,
                f"waiting for another codeaug process building the {spec.name} sandbox image...",
            )
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _say(on_progress: Progress | None, message: str) -> None:
    if on_progress is not None:
        on_progress(message)


def _unavailable(exc: BaseException) -> DockerUnavailableError:
    return DockerUnavailableError(
        f"cannot reach the Docker daemon ({exc}); start it (e.g. `sudo systemctl start "
        "docker`) and make sure your user may use it (member of the `docker` group)"
    )


def _find(client: docker.DockerClient, tag: str) -> Any | None:
    """The image with ``tag``, or None (one inspect call)."""
    try:
        return client.images.get(tag)
    except docker.errors.ImageNotFound:
        return None
    except requests.exceptions.ConnectionError as exc:
        raise _unavailable(exc) from exc
    except docker.errors.DockerException as exc:
        if isinstance(exc, docker.errors.APIError):
            raise
        raise _unavailable(exc) from exc


def ensure_image(
    client: docker.DockerClient,
    spec: ImageSpec,
    on_progress: Progress | None = None,
    *,
    from_image: str | None = None,
) -> ImageRef:
    """The sandbox image for ``spec``, built first if it does not exist yet.

    When it exists this is a single image inspect. Otherwise the build runs under a
    file lock so that concurrent processes build once; the others wait and reuse it.
    """
    tag = image_tag(spec)
    image = _find(client, tag)
    if image is not None:
        return ImageRef(tag=tag, id=str(image.id), name=spec.name)
    with _build_lock(spec, on_progress):
        image = _find(client, tag)  # someone else may have built it while we waited
        if image is not None:
            return ImageRef(tag=tag, id=str(image.id), name=spec.name)
        return _build_locked(
            client, spec, tag, force=False, from_image=from_image, on_progress=on_progress
        )


def build_image(
    client: docker.DockerClient,
    spec: ImageSpec,
    *,
    force: bool = False,
    from_image: str | None = None,
    on_progress: Progress | None = None,
) -> ImageRef:
    """Build (or with ``force``, rebuild) the rootfs and the sandbox image for ``spec``.

    Offline by default (mmdebstrap from the machine's apt sources); with
    ``from_image`` (e.g. ``"debian:bookworm-slim"``) the rootfs is built from that
    pullable image with ``sandbox/base.Dockerfile`` instead. Either way the tags are
    the same: they name the definition, not the route.
    """
    tag = image_tag(spec)
    with _build_lock(spec, on_progress):
        if not force:
            image = _find(client, tag)
            if image is not None:
                _say(on_progress, f"{tag} is up to date")
                return ImageRef(tag=tag, id=str(image.id), name=spec.name)
        return _build_locked(
            client, spec, tag, force=force, from_image=from_image, on_progress=on_progress
        )


def _labels(spec: ImageSpec, role: str, digest: str) -> dict[str, str]:
    return {
        LABEL_HASH: digest,
        LABEL_IMAGE: spec.name,
        LABEL_BUILDER: BUILDER_VERSION,
        LABEL_ROLE: role,
        LABEL_SUITE: debian_suite(spec),
    }


def _build_locked(
    client: docker.DockerClient,
    spec: ImageSpec,
    tag: str,
    *,
    force: bool,
    from_image: str | None,
    on_progress: Progress | None,
) -> ImageRef:
    started = time.monotonic()
    root = spec.sandbox_root
    base_tag = rootfs_tag(spec)
    replaced = [img.id for t in (tag, base_tag) if force and (img := _find(client, t))]
    base = None if force else _find(client, base_tag)
    try:
        with tempfile.TemporaryDirectory(prefix="codeaug-image-") as tmp_str:
            tmp = Path(tmp_str)
            if base is None:
                labels = _labels(spec, "rootfs", rootfs_hash(spec))
                labels[LABEL_SOURCE] = from_image or "mmdebstrap"
                if from_image is None:
                    _say(
                        on_progress,
                        f"building {spec.name} sandbox image (first use, about "
                        f"30 s): Debian {debian_suite(spec)} root filesystem "
                        f"with mmdebstrap...",
                    )
                    _build_rootfs_offline(client, spec, base_tag, labels)
                else:
                    _say(
                        on_progress,
                        f"building {spec.name} sandbox image: root filesystem from {from_image}...",
                    )
                    ctx = _context(tmp / "base", {"Dockerfile": root / "base.Dockerfile"}, labels)
                    _docker_build(client, base_build_kwargs(spec, from_image, ctx, base_tag))
            else:
                _say(
                    on_progress,
                    f"building {spec.name} sandbox image: reusing root filesystem {base_tag}",
                )
            _say(on_progress, f"adding runner and sandbox user ({tag})...")
            labels = _labels(spec, "sandbox", definition_hash(spec))
            labels[LABEL_BASE] = base_tag
            definition = {
                f"definition/{path.relative_to(spec.definition_dir)}": path
                for path in _definition_files(spec)
            }
            ctx = _context(
                tmp / "final",
                {"Dockerfile": root / "Dockerfile", "runner.py": root / "runner.py",
                 **definition},
                labels,
            )
            _prepare(spec, ctx / "definition", on_progress)
            image_id = _docker_build(client, final_build_kwargs(ctx, base_tag, tag))
    except requests.exceptions.ConnectionError as exc:
        raise _unavailable(exc) from exc
    for old in replaced:
        if old and old != image_id:
            with contextlib.suppress(docker.errors.DockerException):
                client.images.remove(old)  # only succeeds once nothing else uses it
    size = _find(client, tag)
    mb = f", {size.attrs.get('Size', 0) / 1e6:.0f} MB" if size is not None else ""
    _say(on_progress, f"built {tag} in {time.monotonic() - started:.1f} s{mb}")
    return ImageRef(tag=tag, id=image_id, name=spec.name)


# -------------------------------------------------------------------- status, pruning


def image_status(client: docker.DockerClient, specs: Sequence[ImageSpec]) -> list[ImageStatus]:
    """Whether each definition's current image is built (``codeaug sandbox status``)."""
    rows: list[ImageStatus] = []
    for spec in specs:
        tag = image_tag(spec)
        image = _find(client, tag)
        if image is None:
            rows.append(ImageStatus(name=spec.name, tag=tag, ready=False))
        else:
            rows.append(
                ImageStatus(
                    name=spec.name,
                    tag=tag,
                    ready=True,
                    id=str(image.id),
                    size=int(image.attrs.get("Size", 0)),
                    created=image.attrs.get("Created"),
                )
            )
    return rows


def remove_stale_images(client: docker.DockerClient, spec: ImageSpec) -> list[str]:
    """Untag older ``codeaug-sandbox-<name>`` / ``codeaug-rootfs-<name>`` images whose
    hash is not the current one; returns the tags removed.

    Tags still used by a container are skipped (the engine refuses; nothing is forced).
    """
    keep = {image_tag(spec), rootfs_tag(spec)}
    removed: list[str] = []
    try:
        for repo in (f"{SANDBOX_REPO_PREFIX}{spec.name}", f"{ROOTFS_REPO_PREFIX}{spec.name}"):
            for image in client.images.list(name=repo):
                for t in image.tags:
                    if t.partition(":")[0] != repo or t in keep:
                        continue
                    try:
                        client.images.remove(t)
                    except docker.errors.APIError:
                        continue
                    removed.append(t)
    except requests.exceptions.ConnectionError as exc:
        raise _unavailable(exc) from exc
    return removed

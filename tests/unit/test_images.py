"""Image definitions, hashes, tags and build-argument assembly, without Docker.

A fake client stands in for the engine where the orchestration (fast path, locking,
pull path, failed mmdebstrap) is under test.
"""

from __future__ import annotations

import re
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker.errors
import pytest
import requests.exceptions

from codeaug import images
from codeaug.errors import DockerUnavailableError, ImageBuildError
from codeaug.images import (
    ImageSpec,
    apt_source_files,
    build_image,
    debian_suite,
    definition_hash,
    ensure_image,
    image_tag,
    mmdebstrap_argv,
    parse_packages,
    rootfs_hash,
    rootfs_tag,
    sandbox_dir,
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the shipped sandbox folder, safe to edit."""
    dst = tmp_path / "sandbox"
    shutil.copytree(sandbox_dir(), dst)
    return dst


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CODEAUG_DEBIAN_SUITE", raising=False)


# ------------------------------------------------------------------- hashes and tags


def test_definition_hash_tracks_every_input_file(root: Path) -> None:
    spec = ImageSpec("python", root=root, suite="bookworm")
    seen = {definition_hash(spec)}
    for rel, extra in [
        ("python/packages.txt", "\nlibffi8\n"),
        ("runner.py", "\n# changed\n"),
        ("Dockerfile", "\n# changed\n"),
        ("base.Dockerfile", "\n# changed\n"),
    ]:
        with open(root / rel, "a", encoding="utf-8") as fh:
            fh.write(extra)
        digest = definition_hash(spec)
        assert digest not in seen, f"editing {rel} did not change the definition hash"
        seen.add(digest)


def test_rootfs_hash_ignores_runner_and_dockerfile_but_not_packages(root: Path) -> None:
    spec = ImageSpec("python", root=root, suite="bookworm")
    before = rootfs_hash(spec)
    (root / "runner.py").write_text("print('new runner')\n", encoding="utf-8")
    (root / "Dockerfile").write_text("ARG BASE\nFROM ${BASE}\n", encoding="utf-8")
    assert rootfs_hash(spec) == before
    # A comment-only edit is not a different package set...
    packages = root / "python" / "packages.txt"
    packages.write_text(packages.read_text(encoding="utf-8") + "# note\n", encoding="utf-8")
    assert rootfs_hash(spec) == before
    # ...but another package is.
    packages.write_text("python3\nlibffi8\n", encoding="utf-8")
    assert rootfs_hash(spec) != before


def test_suite_is_part_of_both_hashes(root: Path) -> None:
    bookworm = ImageSpec("python", root=root, suite="bookworm")
    trixie = ImageSpec("python", root=root, suite="trixie")
    assert definition_hash(bookworm) != definition_hash(trixie)
    assert rootfs_hash(bookworm) != rootfs_hash(trixie)


def test_hash_does_not_depend_on_where_the_definition_lives(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    shutil.copytree(root, other)
    a = ImageSpec("python", root=root, suite="bookworm")
    b = ImageSpec("python", root=other, suite="bookworm")
    assert definition_hash(a) == definition_hash(b)


def test_tags_are_repo_per_name_and_16_hex_of_the_hash(root: Path) -> None:
    spec = ImageSpec("python", root=root, suite="bookworm")
    tag = image_tag(spec)
    assert re.fullmatch(r"codeaug-sandbox-python:[0-9a-f]{16}", tag)
    assert tag.endswith(":" + definition_hash(spec)[:16])
    base = rootfs_tag(spec)
    assert re.fullmatch(r"codeaug-rootfs-python:[0-9a-f]{16}", base)
    assert base.endswith(":" + rootfs_hash(spec)[:16])
    assert base.split(":")[1] != tag.split(":")[1]


def test_suite_comes_from_spec_then_env_then_os_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os_release = tmp_path / "os-release"
    os_release.write_text('ID=debian\nVERSION_CODENAME="trixie"\n', encoding="utf-8")
    assert debian_suite(ImageSpec("python"), os_release) == "trixie"
    monkeypatch.setenv("CODEAUG_DEBIAN_SUITE", "sid")
    assert debian_suite(ImageSpec("python"), os_release) == "sid"
    assert debian_suite(ImageSpec("python", suite="bookworm"), os_release) == "bookworm"
    monkeypatch.delenv("CODEAUG_DEBIAN_SUITE")
    os_release.write_text("ID=fedora\n", encoding="utf-8")
    assert debian_suite(None, os_release) == images.DEFAULT_SUITE
    assert debian_suite(None, tmp_path / "missing") == images.DEFAULT_SUITE


def test_parse_packages_strips_comments_and_duplicates() -> None:
    text = "# header\npython3   # the interpreter\n\n  libffi8 python3\npython3:amd64\n"
    assert parse_packages(text) == ["python3", "libffi8", "python3:amd64"]


@pytest.mark.parametrize("bad", ["python3;rm", "-python3", "Python3", "$(x)", "a b;c"])
def test_parse_packages_rejects_what_is_not_a_package_name(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_packages(f"python3\n{bad}\n")


def test_empty_package_list_is_a_build_error(root: Path) -> None:
    (root / "python" / "packages.txt").write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(ImageBuildError, match="lists no packages"):
        rootfs_hash(ImageSpec("python", root=root))


def test_missing_definition_is_a_build_error(root: Path) -> None:
    with pytest.raises(ImageBuildError, match="nosuchlang"):
        definition_hash(ImageSpec("nosuchlang", root=root))


# ----------------------------------------------------------------- offline assembly


def test_apt_source_files_in_apt_order_skipping_disabled(tmp_path: Path) -> None:
    etc = tmp_path / "apt"
    (etc / "sources.list.d").mkdir(parents=True)
    (etc / "sources.list").write_text("deb file:/srv/mirror bookworm main\n")
    for name in ["b.sources", "a.list", "c.list.disabled", "d.sources.save"]:
        (etc / "sources.list.d" / name).write_text("")
    (etc / "sources.list.d" / "e.list").mkdir()  # not a file
    found = apt_source_files(etc)
    assert found == [
        etc / "sources.list",
        etc / "sources.list.d" / "a.list",
        etc / "sources.list.d" / "b.sources",
    ]


def test_apt_source_files_without_sources_list(tmp_path: Path) -> None:
    etc = tmp_path / "apt"
    (etc / "sources.list.d").mkdir(parents=True)
    (etc / "sources.list.d" / "debian.sources").write_text("")
    assert apt_source_files(etc) == [etc / "sources.list.d" / "debian.sources"]
    assert apt_source_files(tmp_path / "nothing") == []


def test_mmdebstrap_argv() -> None:
    sources = [Path("/etc/apt/sources.list"), Path("/etc/apt/sources.list.d/x.sources")]
    argv = mmdebstrap_argv(["python3", "libffi8"], "bookworm", sources, as_root=True)
    assert argv[0] == "mmdebstrap"
    assert "--variant=minbase" in argv
    assert "--mode=root" in argv
    assert "--include=python3,libffi8" in argv
    for path in [
        "/usr/share/doc/*",
        "/usr/share/man/*",
        "/usr/share/locale/*",
        "/usr/share/info/*",
    ]:
        assert f"--dpkgopt=path-exclude={path}" in argv
    # Positional part: SUITE, TARGET "-" (tarball on stdout), then every source file.
    sep = argv.index("--")
    assert argv[sep + 1 :] == ["bookworm", "-", *map(str, sources)]
    assert all(a.startswith("--") for a in argv[1:sep])
    unprivileged = mmdebstrap_argv(["python3"], "trixie", sources, as_root=False)
    assert "--mode=unshare" in unprivileged and "--mode=root" not in unprivileged


# ---------------------------------------------------------------------- fake engine


class FakeImage:
    def __init__(self, image_id: str, labels: dict[str, str] | None = None) -> None:
        self.id = image_id
        self.attrs: dict[str, Any] = {"Size": 1000, "Created": "2025-01-01T00:00:00Z"}
        self.labels = labels or {}
        self.tags: list[str] = []


class FakeImages:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def get(self, tag: str) -> FakeImage:
        self.client.calls.append(("get", tag))
        with self.client.lock:
            if tag not in self.client.tagged:
                raise docker.errors.ImageNotFound(tag)
            return self.client.tagged[tag]

    def build(self, **kwargs: Any) -> tuple[FakeImage, Iterator[dict[str, str]]]:
        ctx = Path(kwargs["path"])
        record = dict(kwargs)
        record["files"] = {
            str(p.relative_to(ctx)): p.read_text() for p in ctx.rglob("*") if p.is_file()
        }
        self.client.builds.append(record)
        time.sleep(self.client.build_seconds)
        image = FakeImage(f"sha256:{len(self.client.builds):064x}", kwargs.get("labels"))
        with self.client.lock:
            self.client.tagged[kwargs["tag"]] = image
        return image, iter([])

    def remove(self, image: str, force: bool = False) -> None:
        self.client.calls.append(("remove", image))


class FakeAPI:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def import_image(self, src: Iterator[bytes], changes: list[str], stream_src: bool) -> str:
        self.client.calls.append(("import", changes))
        data = b"".join(src)  # raises when the producer fails, like a real upload
        self.client.imported.append(data)
        return '{"status":"sha256:' + "ab" * 32 + '"}\r\n'

    def tag(self, image: str, repository: str, tag: str, force: bool = False) -> None:
        self.client.calls.append(("tag", f"{repository}:{tag}"))
        with self.client.lock:
            self.client.tagged[f"{repository}:{tag}"] = FakeImage(image)


class FakeClient:
    def __init__(self, build_seconds: float = 0.0) -> None:
        self.lock = threading.Lock()
        self.tagged: dict[str, FakeImage] = {}
        self.builds: list[dict[str, Any]] = []
        self.imported: list[bytes] = []
        self.calls: list[tuple[str, Any]] = []
        self.build_seconds = build_seconds
        self.images = FakeImages(self)
        self.api = FakeAPI(self)


def test_ensure_image_fast_path_is_one_inspect(root: Path) -> None:
    spec = ImageSpec("python", root=root, suite="bookworm")
    client = FakeClient()
    client.tagged[image_tag(spec)] = FakeImage("sha256:" + "1" * 64)
    messages: list[str] = []
    ref = ensure_image(client, spec, messages.append)  # type: ignore[arg-type]
    assert ref.id == "sha256:" + "1" * 64 and ref.tag == image_tag(spec) and ref.name == "python"
    assert client.calls == [("get", image_tag(spec))]
    assert client.builds == [] and messages == []


def test_ensure_image_reuses_rootfs_and_builds_final_offline(root: Path) -> None:
    spec = ImageSpec("python", root=root, suite="bookworm")
    (root / "runner.py").write_text("RUNNER = 1\n", encoding="utf-8")
    client = FakeClient()
    client.tagged[rootfs_tag(spec)] = FakeImage("sha256:" + "2" * 64)
    messages: list[str] = []
    ref = ensure_image(client, spec, messages.append)  # type: ignore[arg-type]
    assert len(client.builds) == 1
    final = client.builds[0]
    assert final["tag"] == image_tag(spec) == ref.tag
    assert final["buildargs"] == {"BASE": rootfs_tag(spec)}
    assert final["network_mode"] == "none"
    # The shared Dockerfile, the runner, and the language's own definition folder.
    assert sorted(final["files"]) == ["Dockerfile", "definition/packages.txt", "runner.py"]
    assert final["files"]["runner.py"] == "RUNNER = 1\n"
    # The shared Dockerfile plus one generated LABEL instruction (one layer, not one per label).
    dockerfile = final["files"]["Dockerfile"]
    assert dockerfile.startswith((root / "Dockerfile").read_text().rstrip("\n"))
    label_lines = [ln for ln in dockerfile.splitlines() if ln.startswith("LABEL ")]
    assert len(label_lines) == 1
    assert f'org.codeaug.definition-hash="{definition_hash(spec)}"' in label_lines[0]
    assert 'org.codeaug.image="python"' in label_lines[0]
    assert f'org.codeaug.builder-version="{images.BUILDER_VERSION}"' in label_lines[0]
    assert "labels" not in final
    assert not any(c[0] == "import" for c in client.calls)
    assert any("reusing root filesystem" in m for m in messages)


def test_pull_path_builds_rootfs_from_base_dockerfile(root: Path) -> None:
    spec = ImageSpec("python", root=root, suite="bookworm")
    (root / "python" / "packages.txt").write_text("python3\nlibffi8 # ffi\n", encoding="utf-8")
    client = FakeClient()
    build_image(client, spec, from_image="debian:bookworm-slim")  # type: ignore[arg-type]
    assert len(client.builds) == 2
    base, final = client.builds
    assert base["tag"] == rootfs_tag(spec)
    assert base["buildargs"] == {
        "FROM_IMAGE": "debian:bookworm-slim",
        "PACKAGES": "python3 libffi8",
    }
    assert list(base["files"]) == ["Dockerfile"]
    base_dockerfile = base["files"]["Dockerfile"]
    assert base_dockerfile.startswith((root / "base.Dockerfile").read_text().rstrip("\n"))
    assert f'org.codeaug.definition-hash="{rootfs_hash(spec)}"' in base_dockerfile
    assert 'org.codeaug.rootfs-source="debian:bookworm-slim"' in base_dockerfile
    assert "network_mode" not in base  # apt-get needs the network here
    assert final["buildargs"] == {"BASE": rootfs_tag(spec)}
    assert final["network_mode"] == "none"
    assert not any(c[0] == "import" for c in client.calls)


def test_build_image_force_rebuilds_even_when_present(root: Path) -> None:
    spec = ImageSpec("python", root=root, suite="bookworm")
    client = FakeClient()
    client.tagged[rootfs_tag(spec)] = FakeImage("sha256:" + "3" * 64)
    client.tagged[image_tag(spec)] = FakeImage("sha256:" + "4" * 64)
    assert build_image(client, spec).id == "sha256:" + "4" * 64  # type: ignore[arg-type]
    assert client.builds == []
    ref = build_image(client, spec, force=True, from_image="debian:bookworm-slim")  # type: ignore[arg-type]
    assert [b["tag"] for b in client.builds] == [rootfs_tag(spec), image_tag(spec)]
    assert ref.id != "sha256:" + "4" * 64


def test_concurrent_ensure_image_builds_once(root: Path) -> None:
    spec = ImageSpec("python", root=root, suite="bookworm")
    client = FakeClient(build_seconds=0.3)
    client.tagged[rootfs_tag(spec)] = FakeImage("sha256:" + "5" * 64)
    refs: list[images.ImageRef] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            refs.append(ensure_image(client, spec))  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(client.builds) == 1
    assert len({r.id for r in refs}) == 1 and len(refs) == 4


def _fake_mmdebstrap(bin_dir: Path, body: str) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "mmdebstrap"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def test_offline_rootfs_streams_mmdebstrap_stdout_and_tags_it(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_mmdebstrap(tmp_path / "bin", 'echo "I: fake" >&2\nprintf TARBALL\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.setattr(images, "apt_source_files", lambda: [Path("/dev/null")])
    spec = ImageSpec("python", root=root, suite="bookworm")
    client = FakeClient()
    ensure_image(client, spec)  # type: ignore[arg-type]
    assert client.imported == [b"TARBALL"]
    changes = next(c[1] for c in client.calls if c[0] == "import")
    assert any(c.startswith("LABEL ") and rootfs_hash(spec) in c for c in changes)
    assert ("tag", rootfs_tag(spec)) in client.calls
    assert [b["tag"] for b in client.builds] == [image_tag(spec)]


def test_failed_mmdebstrap_leaves_no_tagged_rootfs(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_mmdebstrap(
        tmp_path / "bin", 'printf PARTIAL\necho "E: cannot resolve mirror" >&2\nexit 1\n'
    )
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.setattr(images, "apt_source_files", lambda: [Path("/dev/null")])
    client = FakeClient()
    with pytest.raises(ImageBuildError) as info:
        ensure_image(client, ImageSpec("python", root=root, suite="bookworm"))  # type: ignore[arg-type]
    assert "status 1" in str(info.value)
    assert "E: cannot resolve mirror" in info.value.log
    assert not any(c[0] == "tag" for c in client.calls)
    assert client.builds == []


def test_missing_mmdebstrap_says_how_to_install(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ImageBuildError, match="apt-get install mmdebstrap"):
        ensure_image(FakeClient(), ImageSpec("python", root=root, suite="bookworm"))  # type: ignore[arg-type]


def test_cache_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert images.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("CODEAUG_CACHE_DIR")
    assert images.cache_dir() == tmp_path / "xdg" / "codeaug"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert images.cache_dir() == tmp_path / "home" / ".cache" / "codeaug"


def test_image_status_reports_built_and_missing(root: Path) -> None:
    built = ImageSpec("python", root=root, suite="bookworm")
    missing = ImageSpec("python", root=root, suite="trixie")
    client = FakeClient()
    client.tagged[image_tag(built)] = FakeImage("sha256:" + "6" * 64)
    rows = images.image_status(client, [built, missing])  # type: ignore[arg-type]
    assert [(r.tag, r.ready) for r in rows] == [
        (image_tag(built), True),
        (image_tag(missing), False),
    ]
    assert rows[0].id == "sha256:" + "6" * 64 and rows[0].size == 1000
    assert rows[1].id is None and rows[1].size is None


def test_label_instruction_quotes_values() -> None:
    line = images.label_instruction({"b": "x y", "a": 'q"$HOME'})
    assert line == 'LABEL a="q\\"\\$HOME" b="x y"'


@pytest.mark.parametrize("bad", ["Python", "py thon", "../python", "", "-py"])
def test_image_names_must_be_docker_repository_parts(bad: str) -> None:
    with pytest.raises(ValueError):
        ImageSpec(bad)


def test_unreachable_engine_is_docker_unavailable(root: Path) -> None:
    class DownImages:
        def get(self, tag: str) -> None:
            raise requests.exceptions.ConnectionError("connection refused")

    client = FakeClient()
    client.images = DownImages()  # type: ignore[assignment]
    with pytest.raises(DockerUnavailableError, match="cannot reach the Docker daemon"):
        ensure_image(client, ImageSpec("python", root=root, suite="bookworm"))  # type: ignore[arg-type]

"""The python sandbox image, built for real with the local engine (offline path).

The built ``codeaug-sandbox-python`` image is left in place for the other integration
tests; only containers (and the throwaway image of the runner-change test) are removed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import docker.errors
import pytest

from codeaug import images
from codeaug.images import (
    ImageRef,
    ImageSpec,
    definition_hash,
    ensure_image,
    image_status,
    image_tag,
    rootfs_tag,
    sandbox_dir,
)

pytestmark = pytest.mark.docker

TEST_LABEL = "org.codeaug.test"
TEST_LABEL_VALUE = "test_images"


@pytest.fixture(scope="module")
def client(docker_client: docker.DockerClient) -> Iterator[docker.DockerClient]:
    yield docker_client
    leftovers = docker_client.containers.list(
        all=True, filters={"label": f"{TEST_LABEL}={TEST_LABEL_VALUE}"}
    )
    for container in leftovers:
        container.remove(force=True)


@pytest.fixture(scope="module")
def python_image(client: docker.DockerClient) -> ImageRef:
    """The real python image: built on first use (about 30 s), instant afterwards."""
    return ensure_image(client, ImageSpec("python"), print)


def run(client: docker.DockerClient, ref: ImageRef, code: str) -> str:
    out: Any = client.containers.run(
        ref.tag,
        ["python3", "-c", code],
        network_disabled=True,
        remove=True,
        labels={TEST_LABEL: TEST_LABEL_VALUE},
    )
    return bytes(out).decode()


def test_runs_as_unprivileged_sandbox_user(
    client: docker.DockerClient, python_image: ImageRef
) -> None:
    code = (
        "import os, pwd, grp;"
        "u = pwd.getpwuid(os.getuid());"
        "print(os.getuid(), os.getgid(), u.pw_name, u.pw_dir, u.pw_shell,"
        " grp.getgrgid(os.getgid()).gr_name, os.getcwd(), os.access('/work', os.W_OK))"
    )
    assert run(client, python_image, code).split() == [
        "10001",
        "10001",
        "sandbox",
        "/work",
        "/usr/sbin/nologin",
        "sandbox",
        "/work",
        "True",  # root's and sticky (1777): both the runner and its jobs write there
    ]


def test_the_runner_interpreter_is_the_only_set_id_file(
    client: docker.DockerClient, python_image: ImageRef
) -> None:
    """Containers run without ``no-new-privileges`` so this one set-uid interpreter can
    give jobs their own uid; no other set-id binary (su, mount, passwd...) may remain."""
    code = (
        "import os, stat\n"
        "found = []\n"
        "for root, dirs, files in os.walk('/'):\n"
        "    dirs[:] = [d for d in dirs if os.path.join(root, d) not in ('/proc', '/sys', '/dev')]\n"
        "    for f in files:\n"
        "        st = os.lstat(os.path.join(root, f))\n"
        "        if stat.S_ISREG(st.st_mode) and st.st_mode & (stat.S_ISUID | stat.S_ISGID):\n"
        "            found.append(f'{os.path.join(root, f)} {st.st_uid} {st.st_gid} {st.st_mode:o}')\n"
        "print('\\n'.join(found))\n"
    )
    assert run(client, python_image, code).splitlines() == [
        "/usr/lib/codeaug/runner-python 10002 10002 106755"
    ]


def test_runner_is_installed_read_only(client: docker.DockerClient, python_image: ImageRef) -> None:
    code = (
        "import os;p = '/opt/codeaug/runner.py';"
        "print(os.path.isfile(p), os.access(p, os.R_OK), os.access(p, os.W_OK), os.path.getsize(p))"
    )
    isfile, readable, writable, size = run(client, python_image, code).split()
    assert (isfile, readable, writable) == ("True", "True", "False")
    assert int(size) == (sandbox_dir() / "runner.py").stat().st_size


def test_docs_are_excluded_but_copyright_kept(
    client: docker.DockerClient, python_image: ImageRef
) -> None:
    code = (
        "import os;"
        # man1 exists (the JDK's scripts need it) but holds no pages: at most the dangling
        # links maintainer scripts make (update-alternatives).
        "m = '/usr/share/man/man1';"
        "print(any(os.path.isfile(os.path.join(m, f)) for f in os.listdir(m)),"
        " os.path.isfile('/usr/share/doc/python3/copyright'),"
        " os.path.isfile('/usr/share/doc/python3/changelog.Debian.gz'))"
    )
    assert run(client, python_image, code).split() == ["False", "True", "False"]


def test_labels_and_tag(client: docker.DockerClient, python_image: ImageRef) -> None:
    spec = ImageSpec("python")
    assert python_image.tag == image_tag(spec)
    image = client.images.get(python_image.tag)
    assert image.id == python_image.id and python_image.id.startswith("sha256:")
    labels = image.labels
    assert labels["org.codeaug.definition-hash"] == definition_hash(spec)
    assert labels["org.codeaug.image"] == "python"
    assert labels["org.codeaug.builder-version"] == images.BUILDER_VERSION
    assert labels["org.codeaug.role"] == "sandbox"
    base = client.images.get(rootfs_tag(spec)).labels
    assert base["org.codeaug.image"] == "python"
    assert base["org.codeaug.role"] == "rootfs"
    assert base["org.codeaug.definition-hash"] == images.rootfs_hash(spec)


def test_second_ensure_image_does_not_build(
    client: docker.DockerClient, python_image: ImageRef, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_build(*args: object, **kwargs: object) -> ImageRef:
        raise AssertionError("ensure_image rebuilt an existing image")

    monkeypatch.setattr(images, "_build_locked", no_build)
    messages: list[str] = []
    again = ensure_image(client, ImageSpec("python"), messages.append)
    assert again == python_image
    assert messages == []
    status = image_status(client, [ImageSpec("python")])
    assert status[0].ready and status[0].id == python_image.id and (status[0].size or 0) > 0


def test_runner_change_reuses_rootfs(
    client: docker.DockerClient, python_image: ImageRef, tmp_path: Path
) -> None:
    root = tmp_path / "sandbox"
    shutil.copytree(sandbox_dir(), root)
    with open(root / "runner.py", "a", encoding="utf-8") as fh:
        fh.write("\n# test_runner_change_reuses_rootfs\n")
    spec = ImageSpec("python", root=root)
    assert rootfs_tag(spec) == rootfs_tag(ImageSpec("python"))
    assert image_tag(spec) != python_image.tag
    messages: list[str] = []
    try:
        ref = ensure_image(client, spec, messages.append)
        assert any("reusing root filesystem" in m for m in messages), messages
        assert not any("mmdebstrap" in m for m in messages), messages
        assert ref.id != python_image.id
        out = run(client, ref, "print(open('/opt/codeaug/runner.py').read().splitlines()[-1])")
        assert out.strip() == "# test_runner_change_reuses_rootfs"
    finally:
        try:
            client.images.remove(image_tag(spec))
        except docker.errors.ImageNotFound:
            pass

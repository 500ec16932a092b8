"""``codeaug sandbox build|status``: the offline sandbox images."""

from __future__ import annotations

import click
from rich.table import Table

from codeaug.cli import ui
from codeaug.executor.docker_api import connect
from codeaug.images import build_image, image_status, remove_stale_images
from codeaug.plugins import get_plugins


@click.group("sandbox")
def sandbox_group() -> None:
    """Build and inspect the sandbox images."""


def _specs(names: tuple[str, ...]) -> list:  # type: ignore[type-arg]
    languages = get_plugins().languages
    chosen = [languages.get(n) for n in names] if names else list(languages)
    specs = {lang.image.name: lang.image for lang in chosen}
    return list(specs.values())


@sandbox_group.command("build")
@click.argument("languages", nargs=-1)
@click.option("--force", is_flag=True, help="Rebuild even when the image is up to date.")
@click.option("--from-image", metavar="IMAGE",
              help="Build the base from a pullable image (e.g. debian:bookworm-slim) "
                   "instead of the machine's Debian package sources.")
@click.option("--prune", is_flag=True,
              help="Afterwards remove older images of the same definitions.")
def build_command(languages: tuple[str, ...], force: bool, from_image: str | None,
                  prune: bool) -> None:
    """Build the images for LANGUAGES (default: every registered language)."""
    client = connect()
    for spec in _specs(languages):
        ref = build_image(client, spec, force=force, from_image=from_image,
                          on_progress=ui.stderr.print)
        ui.stdout.print(f"{spec.name}: {ref.tag} {ref.id}")
        if prune:
            for old in remove_stale_images(client, spec):
                ui.stdout.print(f"  removed {old}")


@sandbox_group.command("status")
def status_command() -> None:
    """Say whether the Docker engine is reachable and which images are ready."""
    client = connect()
    version = client.version()
    ui.stdout.print(f"Docker engine {version.get('Version', '?')} reachable "
                    f"(API {version.get('ApiVersion', '?')})")
    table = Table("image", "tag", "ready", "id", "size")
    for status in image_status(client, _specs(())):
        size = f"{(status.size or 0) / 1e6:.0f} MB" if status.ready else ""
        ready = "yes" if status.ready else "no (built on first use)"
        table.add_row(status.name, status.tag, ready, (status.id or "")[:19], size)
    ui.stdout.print(table)

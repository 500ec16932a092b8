"""``codeaug plugins``: what is installed, who provides it, and which hooks it implements."""

from __future__ import annotations

import json
from typing import Any

import click

from codeaug.cli import ui
from codeaug.plugins import Plugins, get_plugins, hooks_implemented

#: Registry attribute -> what ``codeaug plugins`` calls its entries.
PROVIDES = ("languages", "formats", "mutators", "solvers", "filters", "constraints")


def describe_plugins(plugins: Plugins) -> dict[str, Any]:
    """Every loaded plugin with its distribution, hooks and what it registered, plus
    the plugins that failed to load."""
    rows = []
    for info in sorted(plugins.info, key=lambda i: i.name):
        provides: dict[str, list[str]] = {}
        for kind in PROVIDES:
            registry = getattr(plugins, kind)
            names = sorted(item.name for item in registry
                           if registry.owner(item.name) == info.name)
            if names:
                provides[kind] = names
        rows.append({"name": info.name, "module": info.module,
                     "distribution": info.distribution, "version": info.version,
                     "hooks": hooks_implemented(plugins, info.name), "provides": provides})
    return {"plugins": rows,
            "failed": [{"plugin": p.plugin, "error": str(p)} for p in plugins.problems]}


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def plugins_command(as_json: bool) -> None:
    """List the loaded plugins (built-in ones are plugins too)."""
    data = describe_plugins(get_plugins())
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    from rich.table import Table

    table = Table(title="codeaug plugins")
    for column in ("plugin", "distribution", "hooks", "provides"):
        table.add_column(column)
    for row in data["plugins"]:
        dist = f"{row['distribution'] or '-'} {row['version'] or ''}".strip()
        provides = "; ".join(f"{k}: {', '.join(v)}" for k, v in row["provides"].items())
        table.add_row(row["name"], dist, ", ".join(row["hooks"]), provides)
    ui.stdout.print(table)
    for failed in data["failed"]:
        ui.stderr.print(f"[yellow]failed:[/] {failed['plugin']}: {failed['error']}")

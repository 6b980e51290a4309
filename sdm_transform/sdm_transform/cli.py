"""`sdm-connector`: what SDM's Connector page shows, read from the workspace.

sdm-connector status --workspace DIR [--json]
sdm-connector attributes --workspace DIR [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sdm_transform.protection import explain
from sdm_transform.workspace import DONE, FAILED, IN_PROGRESS, Workspace

_STATE_LABEL = {IN_PROGRESS: "in progress", DONE: "done", FAILED: "failed"}
_MAX_FIELDS_SHOWN = 6


def _counts_line(counts: dict) -> str:
    order = [
        "attributes",
        "fields",
        "families",
        "categories",
        "options_collections",
        "excluded",
        "skipped",
        "warnings",
    ]
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return ", ".join(f"{counts[k]} {k.replace('_', ' ')}" for k in keys) or "-"


def status_text(status: dict, *, runner_gone: bool = False) -> str:
    """The sync status as readable lines."""
    if not status:
        return "Configuration sync: never run in this workspace\n"
    state = status.get("status")
    label = _STATE_LABEL.get(str(state), str(state))
    if runner_gone:
        label = "interrupted (the sync process is gone without finishing)"
    lines = [f"Configuration sync: {label}"]
    lines.append(f"  started:       {status.get('started_at') or '-'}")
    if state != IN_PROGRESS:
        lines.append(f"  finished:      {status.get('finished_at') or '-'}")
    lines.append(f"  last success:  {status.get('last_success_at') or 'never'}")
    lines.append(f"  counts:        {_counts_line(status.get('counts') or {})}")
    if status.get("error"):
        lines.append(f"  error:         {status['error']}")
        lines.append("  project.json is the one of the last successful sync")
    return "\n".join(lines) + "\n"


def attribute_states(project: dict) -> list[dict]:
    """Every PIM attribute of the project with its state, sorted by code."""
    states: dict[str, dict[str, Any]] = {}
    for field in project.get("fields") or []:
        entry = states.setdefault(
            field["attribute"],
            {
                "attribute": field["attribute"],
                "state": "included",
                "attribute_type": field.get("attribute_type"),
                "fields": [],
                "protected": field.get("protected"),
                "allow_new_options": False,
                "reason": None,
                "message": None,
            },
        )
        entry["fields"].append(field["name"])
        entry["allow_new_options"] = entry["allow_new_options"] or bool(
            field.get("allow_new_options")
        )
    for state, key in (("excluded", "excluded"), ("skipped", "skipped")):
        for item in project.get(key) or []:
            code = item.get("attribute")
            states.setdefault(
                str(code),
                {
                    "attribute": code,
                    "state": state,
                    "attribute_type": None,
                    "fields": [],
                    "protected": None,
                    "allow_new_options": False,
                    "reason": item.get("reason"),
                    "message": item.get("message"),
                },
            )
    return sorted(states.values(), key=lambda s: str(s["attribute"]))


def _details(entry: dict) -> str:
    if entry["state"] != "included":
        return f"{entry['reason']}: {entry['message']}"
    parts = []
    if entry["protected"]:
        parts.append(f"protected ({entry['protected']}: {explain(entry['protected'])})")
    if entry["allow_new_options"]:
        parts.append("new options allowed")
    names = entry["fields"]
    shown = ", ".join(names[:_MAX_FIELDS_SHOWN])
    if len(names) > _MAX_FIELDS_SHOWN:
        shown += f", ... ({len(names)} fields)"
    parts.append(f"fields: {shown}")
    return "; ".join(parts)


def attributes_text(project: dict) -> str:
    """The attribute states as an aligned table."""
    states = attribute_states(project)
    if not states:
        return "No attributes in project.json.\n"
    width = max(len(str(s["attribute"])) for s in states)
    lines = [f"{'ATTRIBUTE'.ljust(width)}  {'STATE'.ljust(9)}  DETAILS"]
    lines.extend(
        f"{str(s['attribute']).ljust(width)}  {s['state'].ljust(9)}  {_details(s)}" for s in states
    )
    total = {
        state: sum(1 for s in states if s["state"] == state)
        for state in ("included", "excluded", "skipped")
    }
    protected = sum(1 for s in states if s["protected"])
    lines.append("")
    lines.append(
        f"{len(states)} attributes: {total['included']} included ({protected} protected), "
        f"{total['excluded']} excluded, {total['skipped']} skipped"
    )
    warnings = project.get("warnings") or []
    if warnings:
        lines.append(f"{len(warnings)} warning(s):")
        lines.extend(f"  - {w.get('message')}" for w in warnings)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point of `sdm-connector`."""
    parser = argparse.ArgumentParser(
        prog="sdm-connector", description="State of the Akeneo SDM connector."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("status", "state of the configuration sync"),
        ("attributes", "every PIM attribute and its state in SDM"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--workspace", required=True, help="SDM workspace folder")
        command.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    if not Path(args.workspace).is_dir():
        print(f"sdm-connector: workspace folder {args.workspace} does not exist", file=sys.stderr)
        return 2
    workspace = Workspace(args.workspace)
    if args.command == "status":
        status = workspace.read_status()
        gone = workspace.runner_gone(status)
        if args.json:
            sys.stdout.write(json.dumps({**status, "runner_gone": gone}, indent=2) + "\n")
        else:
            sys.stdout.write(status_text(status, runner_gone=gone))
        return 0
    project = workspace.read_project()
    if project is None:
        print(
            f"sdm-connector: no readable project.json in {args.workspace}; run a "
            "configuration sync first",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(
        json.dumps(attribute_states(project), indent=2) + "\n"
        if args.json
        else attributes_text(project)
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

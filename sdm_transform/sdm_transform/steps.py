"""What the sync reads from SDM's step configurations (`steps/*.json`, contract §2).

Steps are SDM's own files: they are read, never written. Two things matter to the sync:
`sources` of any step (AI sources) and `rules[].when.field` (dependency triggers).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sdm_transform.notes import Notes

AI_SOURCE = "ai_source"
DEPENDENCY_TRIGGER = "dependency_trigger"


@dataclass(frozen=True)
class StepUse:
    """A field named by a step, and the role it plays there."""

    step: str
    field: str
    role: str


def read_steps_dir(path: str | Path) -> tuple[dict[str, Any], list[str]]:
    """Parsed `*.json` files of a steps folder by file name, and a problem per unreadable file."""
    folder = Path(path)
    steps: dict[str, Any] = {}
    problems: list[str] = []
    if not folder.is_dir():
        return steps, problems
    for file in sorted(folder.glob("*.json")):
        try:
            steps[file.name] = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"step file steps/{file.name} is not readable JSON ({exc}); ignored")
    return steps, problems


def _step_objects(content: Any) -> list[dict]:
    """A step file holds one step object, or a list of them."""
    if isinstance(content, dict):
        return [content]
    if isinstance(content, list):
        return [item for item in content if isinstance(item, dict)]
    return []


def step_uses(steps: dict[str, Any], notes: Notes) -> list[StepUse]:
    """AI sources and dependency triggers named by the steps (file order, then step order)."""
    uses: list[StepUse] = []
    for file_name in sorted(steps):
        for step in _step_objects(steps[file_name]):
            label = f"steps/{file_name}" + (f" ({step['name']})" if step.get("name") else "")
            sources = step.get("sources")
            if sources is not None:
                if not isinstance(sources, list):
                    notes.warn(f"{label}: `sources` is not a list; ignored")
                    sources = []
                for source in sources:
                    if isinstance(source, str):
                        uses.append(StepUse(label, source, AI_SOURCE))
                    else:
                        notes.warn(f"{label}: source {source!r} is not a field name; ignored")
            rules = step.get("rules")
            if rules is not None and not isinstance(rules, list):
                notes.warn(f"{label}: `rules` is not a list; ignored")
                rules = []
            for index, rule in enumerate(rules or []):
                when = rule.get("when") if isinstance(rule, dict) else None
                trigger = when.get("field") if isinstance(when, dict) else None
                if isinstance(trigger, str):
                    uses.append(StepUse(label, trigger, DEPENDENCY_TRIGGER))
                elif when is not None or trigger is not None:
                    notes.warn(f"{label}: rules[{index}].when.field is not a field name; ignored")
    return uses

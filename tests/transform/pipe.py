"""Run the configuration sync as users do: tap-akeneo piped into target-sdm-config."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def run_sync(
    tap_config: dict, workspace: Path, tmp_path: Path, **settings
) -> subprocess.CompletedProcess[str]:
    """`tap-akeneo | target-sdm-config` through a real shell pipe (with pipefail)."""
    tap_file = tmp_path / "tap.json"
    tap_file.write_text(json.dumps(tap_config))
    target_file = tmp_path / "target.json"
    target_file.write_text(json.dumps({"workspace": str(workspace), **settings}))
    command = (f"'{BIN / 'tap-akeneo'}' --config '{tap_file}' | "
               f"'{BIN / 'target-sdm-config'}' --config '{target_file}'")
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True,
                          text=True, timeout=120, check=False)

"""Job files: safe path resolution, product media, and assets made from files.

Media values hold paths relative to ``jobs/<job_id>/``. Nothing outside that folder is ever
read: absolute paths, ``..`` and links that resolve outside are refused for that value.
Each distinct file (by content hash) becomes one asset per asset family and is uploaded once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from target_akeneo.convert import SkipValueError

_SLUG_RE = re.compile(r"[^A-Za-z0-9_]+")
HASH_CHARS = 12


def safe_job_path(job_dir: Path, value: object) -> Path:
    """The file a media value names, inside the job folder, or :class:`SkipValueError`."""
    if not isinstance(value, str) or not value.strip():
        msg = "media path must be a non-empty string"
        raise SkipValueError(msg)
    text = value.strip()
    if "\x00" in text:
        msg = "media path holds a NUL character"
        raise SkipValueError(msg)
    if (
        PurePosixPath(text).is_absolute()
        or PureWindowsPath(text).is_absolute()
        or (PureWindowsPath(text).drive)
    ):
        msg = f"absolute path refused: {text!r} (paths are relative to the job folder)"
        raise SkipValueError(msg)
    parts = text.replace("\\", "/").split("/")
    if ".." in parts:
        msg = f"path leaves the job folder: {text!r} ('..' is not allowed)"
        raise SkipValueError(msg)
    root = job_dir.resolve()
    candidate = (root / text).resolve()
    if not candidate.is_relative_to(root):
        msg = f"path leaves the job folder: {text!r} (a link points outside)"
        raise SkipValueError(msg)
    if not candidate.exists():
        msg = f"file not found in the job folder: {text!r}"
        raise SkipValueError(msg)
    if not candidate.is_file():
        msg = f"not a file: {text!r}"
        raise SkipValueError(msg)
    return candidate


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class PlannedAsset:
    """One asset to create (or reuse) in an asset family from a job file."""

    family: str
    code: str
    path: Path
    digest: str
    status: str = "pending"  # pending | ready | failed
    reason: str | None = None
    rows: list[int] = field(default_factory=list)


class AssetPlan:
    """Assets needed by the job: one per (asset family, file content)."""

    def __init__(self) -> None:
        self._digests: dict[Path, str] = {}
        self.assets: dict[tuple[str, str], PlannedAsset] = {}  # (family, digest) -> asset
        self._codes: dict[tuple[str, str], PlannedAsset] = {}  # (family, code) -> asset

    def digest(self, path: Path) -> str:
        """Content hash of a file, computed once per path."""
        if path not in self._digests:
            self._digests[path] = file_digest(path)
        return self._digests[path]

    def asset_for(self, family: str, path: Path, row: int) -> PlannedAsset:
        """The asset standing for this file in ``family`` (same content, same asset)."""
        digest = self.digest(path)
        asset = self.assets.get((family, digest))
        if asset is None:
            stem = _SLUG_RE.sub("_", path.stem).strip("_")[:200] or "file"
            asset = PlannedAsset(family, f"{stem}_{digest[:HASH_CHARS]}", path, digest)
            self.assets[(family, digest)] = asset
            self._codes[(family, asset.code)] = asset
        asset.rows.append(row)
        return asset

    def by_code(self, family: str, code: str) -> PlannedAsset | None:
        """Find a planned asset by family and code."""
        return self._codes.get((family, code))

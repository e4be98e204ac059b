"""The model registry: versioned artifacts on disk, and which version serves.

Layout (DESIGN.md)::

    <root>/<model>/<version>/manifest.json   metrics, training data, parent, created
    <root>/<model>/<version>/...             weights, ONNX, engines, index files
    <root>/<model>/routing.json              {"stable": v, "canary": v|None, "canary_percent": 0}

Writes go to a temporary file and are renamed into place, so a reader (a
Serve replica reloading) never sees half a manifest.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from retail.paths import artifacts_root


class ArtifactMissing(FileNotFoundError):
    """An artifact a component needs is absent; the message names the command that makes it."""


def _write_json_atomic(path: Path, payload: dict) -> None:
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str))
    os.replace(tmp, path)


class ModelRegistry:
    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root else artifacts_root()

    def new_version(self, model: str) -> tuple[str, Path]:
        """A fresh, sortable version id and its (created) directory."""
        version = time.strftime("v%Y%m%d-%H%M%S-") + secrets.token_hex(2)
        path = self.root / model / version
        path.mkdir(parents=True)
        return version, path

    def path(self, model: str, version: str) -> Path:
        return self.root / model / version

    def publish(self, model: str, version: str, manifest: dict[str, Any], make_stable: bool = True) -> None:
        manifest = {"model": model, "version": version, "created": time.time(), **manifest}
        _write_json_atomic(self.path(model, version) / "manifest.json", manifest)
        if make_stable:
            self.set_stable(model, version)

    def manifest(self, model: str, version: str) -> dict[str, Any]:
        path = self.path(model, version) / "manifest.json"
        if not path.exists():
            raise ArtifactMissing(f"{model} version {version!r} has no manifest at {path}")
        return json.loads(path.read_text())

    def versions(self, model: str) -> list[str]:
        base = self.root / model
        if not base.exists():
            return []
        return sorted(p.name for p in base.iterdir() if (p / "manifest.json").exists())

    def latest(self, model: str) -> str | None:
        """The newest published version, stable or not (versions sort by creation time)."""
        versions = self.versions(model)
        return versions[-1] if versions else None

    def routing(self, model: str) -> dict[str, Any]:
        path = self.root / model / "routing.json"
        return json.loads(path.read_text()) if path.exists() else {"stable": None, "canary": None, "canary_percent": 0}

    def stable(self, model: str) -> str | None:
        return self.routing(model)["stable"]

    def set_stable(self, model: str, version: str) -> None:
        self.manifest(model, version)  # refuses a version that was never published
        routing = self.routing(model) | {"stable": version}
        _write_json_atomic(self.root / model / "routing.json", routing)

    def require_stable(self, model: str, make_command: str) -> tuple[str, Path]:
        """The stable version and its directory, or a clear error naming the command that makes one."""
        version = self.stable(model)
        if version is None:
            raise ArtifactMissing(f"no stable {model!r} in the registry at {self.root}; run: {make_command}")
        return version, self.path(model, version)

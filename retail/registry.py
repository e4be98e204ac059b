"""The model registry: versioned artifacts on disk, and which version serves.

Layout (DESIGN.md)::

    <root>/<model>/<version>/manifest.json   metrics, training data, parent, created
    <root>/<model>/<version>/...             weights, ONNX, engines, index files
    <root>/<model>/routing.json              {"stable", "canary", "canary_percent", "shadow"}
    <root>/<model>/routing_history.jsonl     every routing change: when, who, why, before and after

Writes go to a temporary file and are renamed into place, so a reader (a
Serve replica watching routing) never sees half a file. Routing changes take
an exclusive lock, so two writers (the rollout controller, an operator's
CLI) cannot interleave a read-modify-write.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from retail.paths import artifacts_root


ROUTING_KEYS = ("stable", "canary", "canary_percent", "shadow")
EMPTY_ROUTING = {"stable": None, "canary": None, "canary_percent": 0, "shadow": None}


class ArtifactMissing(FileNotFoundError):
    """An artifact a component needs is absent; the message names the command that makes it."""


class UnknownVersion(ArtifactMissing):
    """A routing change named a model or version the registry does not have; nothing was changed."""


def _write_json_atomic(path: Path, payload: dict) -> None:
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str))
    os.replace(tmp, path)


class ModelRegistry:
    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root else artifacts_root()

    def new_version(self, model: str) -> tuple[str, Path]:
        """A fresh, sortable version id and its (created) directory."""
        now = time.time()
        # Milliseconds keep versions made within one second in creation order (``latest``).
        version = time.strftime("v%Y%m%d-%H%M%S", time.localtime(now)) + f"{int(now * 1000) % 1000:03d}-" + secrets.token_hex(2)
        path = self.root / model / version
        path.mkdir(parents=True)
        return version, path

    def path(self, model: str, version: str) -> Path:
        return self.root / model / version

    def publish(self, model: str, version: str, manifest: dict[str, Any], make_stable: bool = True) -> None:
        manifest = {"model": model, "version": version, "created": time.time(), **manifest}
        _write_json_atomic(self.path(model, version) / "manifest.json", manifest)
        if make_stable:
            self.set_stable(model, version, reason="published by its job as stable")

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
        stored = json.loads(path.read_text()) if path.exists() else {}
        return EMPTY_ROUTING | {k: v for k, v in stored.items() if k in ROUTING_KEYS}

    def stable(self, model: str) -> str | None:
        return self.routing(model)["stable"]

    def set_stable(self, model: str, version: str, actor: str = "job", reason: str = "published") -> None:
        self.update_routing(model, actor=actor, reason=reason, stable=version)

    def update_routing(self, model: str, *, actor: str, reason: str, **changes: Any) -> dict[str, Any]:
        """Change routing atomically and record who, when and why. A change to the current state is a no-op.

        Every version named must be published; a bad change raises UnknownVersion
        and leaves routing as it was."""
        unknown = set(changes) - set(ROUTING_KEYS)
        if unknown:
            raise ValueError(f"unknown routing keys {sorted(unknown)}")
        for key in ("stable", "canary", "shadow"):
            version = changes.get(key)
            if version is not None and not (self.path(model, version) / "manifest.json").exists():
                raise UnknownVersion(f"{model!r} has no published version {version!r} (known: {self.versions(model)})")
        percent = changes.get("canary_percent")
        if percent is not None and not 0 <= percent <= 100:
            raise ValueError(f"canary_percent must be within 0..100, got {percent}")
        (self.root / model).mkdir(parents=True, exist_ok=True)
        with self._routing_lock(model):
            before = self.routing(model)
            after = before | changes
            if after["canary"] is None:
                after["canary_percent"] = 0
            if after == before:
                return after
            _write_json_atomic(self.root / model / "routing.json", after)
            entry = {"at": time.time(), "actor": actor, "reason": reason, "before": before, "after": after}
            with (self.root / model / "routing_history.jsonl").open("a") as f:
                f.write(json.dumps(entry, sort_keys=True) + "\n")
                f.flush()
                os.fsync(f.fileno())
        return after

    def routing_history(self, model: str, limit: int | None = None) -> list[dict[str, Any]]:
        path = self.root / model / "routing_history.jsonl"
        if not path.exists():
            return []
        entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return entries[-limit:] if limit else entries

    @contextlib.contextmanager
    def _routing_lock(self, model: str):
        with (self.root / model / ".routing.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def require_stable(self, model: str, make_command: str) -> tuple[str, Path]:
        """The stable version and its directory, or a clear error naming the command that makes one."""
        version = self.stable(model)
        if version is None:
            raise ArtifactMissing(f"no stable {model!r} in the registry at {self.root}; run: {make_command}")
        return version, self.path(model, version)

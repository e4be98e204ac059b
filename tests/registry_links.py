"""A registry of a test module's own whose versions are the session's (symlinked), so a module can make
versions and move routing without touching the registry the other modules read."""

from __future__ import annotations

from pathlib import Path

from retail.registry import ModelRegistry

SERVED_MODELS = ("index", "ltr", "reranker", "intent", "recommender")
OPTIONAL_MODELS = ("review_model", "insights", "copy")  # linked when the session has made them


def link_version(source: ModelRegistry, target: ModelRegistry, model: str, version: str, manifest: dict | None = None,
                 new_version: bool = False) -> str:
    """A version in `target` whose files are `source`'s (symlinks), with its own manifest."""
    if new_version:
        name, directory = target.new_version(model)
    else:
        name, directory = version, target.path(model, version)
        directory.mkdir(parents=True)
    for entry in source.path(model, version).iterdir():
        if entry.name != "manifest.json":
            (directory / entry.name).symlink_to(entry.resolve())
    body = {k: v for k, v in source.manifest(model, version).items() if k not in ("model", "version", "created")}
    target.publish(model, name, body | (manifest or {}), make_stable=False)
    return name


def linked_registry(source: ModelRegistry, root: Path, models: tuple[str, ...] = SERVED_MODELS) -> ModelRegistry:
    """A new registry at `root` serving the session's stable (else latest) version of each model, and its
    stable review model, insight and copy where it has them."""
    own = ModelRegistry(root)
    for model in models + tuple(m for m in OPTIONAL_MODELS if source.stable(m) and m not in models):
        version = source.stable(model) or source.latest(model)
        link_version(source, own, model, version)
        own.set_stable(model, version, actor="test", reason="the session's version")
    return own


def new_reranker(registry: ModelRegistry, drill: dict | None = None) -> str:
    """A new reranker version: stable's files, with a drill (fault injection) in its manifest if given."""
    stable = registry.stable("reranker")
    return link_version(registry, registry, "reranker", stable, {"drill": drill} if drill else {"note": "retrained"},
                        new_version=True)

"""The versions of one model that a replica holds, kept in step with routing.

A replica watches its model's ``routing.json`` and loads what it names
(stable, canary, shadow) on a background thread, next to the versions that
are serving. Nothing is reloaded in ``reconfigure``, so the replica never goes
unready while a version loads (ray#54509). A new version is published with
one dict swap once it is loaded and warm; a request holds the model it was
given, so in-flight requests finish on the version they started with. A
version that fails to load is recorded and the others go on serving.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from retail.registry import ModelRegistry
from retail.rollout.assignment import Split
from retail.rollout.drills import load_drill

logger = logging.getLogger("ray.serve")
T = TypeVar("T")


class ResidentVersions(Generic[T]):
    def __init__(self, registry: ModelRegistry, model: str, load: Callable[[str], T], pinned: str | None = None,
                 follow: Callable[[str], str] | None = None, held_model: str | None = None, always: tuple[str, ...] = ()):
        """
        model: the routed model whose ``routing.json`` is watched.
        pinned: serve this version only and ignore routing (a config override); None follows routing.
        follow: maps a routed version to the version held here (an index version -> the embedder that built it),
            for models that move as one unit; ``held_model`` names the held versions' model.
        always: versions held whatever routing says.
        """
        self.registry, self.model, self._load, self.pinned = registry, model, load, pinned
        self.follow, self.held_model, self.always = follow, held_model or model, always
        self.models: dict[str, T] = {}
        self.stable: str | None = None
        self.loading: str | None = None
        self.load_errors: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.sync(starting=True)  # at start-up stable loads before the replica is ready; the rest in start()

    def wanted(self) -> tuple[str | None, list[str]]:
        if self.pinned:
            stable, versions = self.pinned, [self.pinned]
        else:
            split = Split.from_routing(self.registry.routing(self.model))
            stable, versions = split.stable, split.resident()
        if self.follow:
            stable, versions = (self.follow(stable) if stable else None), [self.follow(v) for v in versions]
        return stable, list(dict.fromkeys([*self.always, *versions]))

    def sync(self, starting: bool = False) -> None:
        stable, wanted = self.wanted()
        first = [v for v in dict.fromkeys((stable, *self.always)) if v]  # what the replica cannot start without
        for version in first if starting else wanted:
            if version in self.models or version in self.load_errors:
                continue
            try:
                loaded = self._load_one(version)
            except Exception as exc:
                if starting:
                    raise  # a replica that cannot load its stable version must not start
                self.load_errors[version] = f"{type(exc).__name__}: {exc}"
                logger.exception("%s %s failed to load; the versions already loaded go on serving", self.held_model, version)
                continue
            self.models = self.models | {version: loaded}  # copy on write: readers never see a half-built dict
        if stable in self.models or stable is None:
            self.stable = stable  # a new stable that failed to load leaves the old one serving
        keep = set(wanted) | {self.stable}
        self.models = {v: m for v, m in self.models.items() if v in keep}
        self.load_errors = {v: e for v, e in self.load_errors.items() if v in wanted}

    def _load_one(self, version: str) -> T:
        self.loading = version
        started = time.perf_counter()
        try:
            drill = load_drill(self.registry, self.held_model, version)
            if drill.get("load_delay_s"):
                time.sleep(float(drill["load_delay_s"]))
            if drill.get("load_error"):
                raise RuntimeError("drill: this version fails to load")
            loaded = self._load(version)
        finally:
            self.loading = None
        logger.info("%s %s loaded in %.1fs", self.held_model, version, time.perf_counter() - started)
        return loaded

    def start(self, poll_s: float = 0.5) -> ResidentVersions[T]:
        def watch():
            while not self._stop.wait(poll_s):
                try:
                    self.sync()
                except Exception:  # a torn read of routing, a registry hiccup: try again next time
                    logger.exception("watching %s routing", self.model)

        self._thread = threading.Thread(target=watch, name=f"resident-{self.model}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def get(self, version: str | None = None) -> tuple[str | None, T | None]:
        """(the version that serves, its model): the one asked for when resident, else stable."""
        models = self.models
        if version in models:
            return version, models[version]
        return self.stable, models.get(self.stable) if self.stable else None

    def info(self) -> dict:
        return {"stable": self.stable, "resident": sorted(self.models), "loading": self.loading,
                "load_errors": dict(self.load_errors), "pinned": self.pinned}

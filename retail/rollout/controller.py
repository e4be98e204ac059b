"""Progressive delivery: a canary steps up while the judge passes it, and drops to 0 % the moment it fails.

    start_canary -> loading (routing names it at 0 %: replicas load it beside stable)
                    (steps ending below 100 %, e.g. [50], are an A/B test: it stays at its last step, judged,
                    rolled back if it fails, until an operator promotes or rolls it back)
                 -> step 1 (5 %) -> ... each step: judged every interval over its own window
                 -> promoted (stable = canary)       when the last step passes
                 -> rolled_back (canary = none)      at the first failure, or a failed load
                 -> paused                            a step inconclusive past max_step_s with on_timeout=hold:
                                                      it keeps its share and its automatic rollback, and
                                                      waits for an operator's promote or rollback

State lives in the registry (``<model>/rollout.json``, ``<model>/decisions.jsonl``),
so a restarted controller carries on; every operation is idempotent. The
judge's windows are in memory: after a restart the current step's window
(and its clock for ``max_step_s``) starts again, which only delays a decision.
A state that routing contradicts (a crash between the two writes, an edit by
hand) is reconciled from routing, which is what serves.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from retail.registry import ModelRegistry, UnknownVersion, _write_json_atomic
from retail.rollout.assignment import CANARY, CONTROL, SHADOW
from retail.rollout.judge import FAIL, PASS, ArmWindow, JudgePolicy, judge

logger = logging.getLogger("ray.serve")
LOADING, RUNNING, PAUSED, PROMOTED, ROLLED_BACK = "loading", "running", "paused", "promoted", "rolled_back"
ACTIVE = (LOADING, RUNNING, PAUSED)


@dataclass(frozen=True)
class RolloutPlan:
    steps: tuple[float, ...] = (5, 25, 50, 100)
    min_step_s: float = 60.0  # a step is judged at least this long before it can advance
    max_step_s: float = 900.0  # still inconclusive after this long: on_timeout decides
    load_timeout_s: float = 300.0  # the canary must be loaded on its replicas within this
    on_timeout: str = "hold"  # hold (pause for an operator) | rollback
    judge: JudgePolicy = field(default_factory=JudgePolicy)


# The models the served application rolls out (the index moves with the embedder that built it).
ROLLOUT_MODELS = ("reranker", "index", "recommender")


class RolloutController:
    def __init__(self, registry: ModelRegistry, plan: RolloutPlan, models: tuple[str, ...] = ("reranker", "index"),
                 clock=time.time):
        self.registry, self.plan, self.models, self.clock = registry, plan, models, clock
        self.windows: dict[str, dict[str, ArmWindow]] = {m: defaultdict(ArmWindow) for m in models}
        self.window_since: dict[str, float] = {m: clock() for m in models}
        self.shadow_windows: dict[str, ArmWindow] = defaultdict(ArmWindow)
        self._lock = threading.RLock()

    # -- state in the registry ---------------------------------------------------------------
    def state(self, model: str) -> dict:
        path = self.registry.root / model / "rollout.json"
        return json.loads(path.read_text()) if path.exists() else {"status": None}

    def _save(self, model: str, state: dict) -> dict:
        (self.registry.root / model).mkdir(parents=True, exist_ok=True)
        _write_json_atomic(self.registry.root / model / "rollout.json", state)
        return state

    def decisions(self, model: str, limit: int = 20) -> list[dict]:
        """The last `limit` decisions, read from the end of the file (it grows by one line a look)."""
        path = self.registry.root / model / "decisions.jsonl"
        if not path.exists():
            return []
        with path.open("rb") as f:
            start = max(0, f.seek(0, os.SEEK_END) - limit * 8192)
            f.seek(start)
            lines = f.read().decode(errors="replace").splitlines()
        return [json.loads(line) for line in lines[1 if start else 0:][-limit:] if line.strip()]

    def _record(self, model: str, entry: dict) -> None:
        with (self.registry.root / model / "decisions.jsonl").open("a") as f:
            f.write(json.dumps(entry, sort_keys=True, default=float) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def _check_model(self, model: str) -> None:
        if model not in self.models:
            raise UnknownVersion(f"no model {model!r} under rollout (known: {list(self.models)})")

    # -- operator actions ------------------------------------------------------------------
    def start_canary(self, model: str, version: str, actor: str, reason: str, steps: list[float] | None = None) -> dict:
        self._check_model(model)
        steps = tuple(float(s) for s in (steps or self.plan.steps))
        if not steps or any(not 0 < s <= 100 for s in steps) or list(steps) != sorted(set(steps)):
            raise ValueError(f"steps must rise strictly within (0, 100], got {list(steps)}")
        with self._lock:
            state = self.state(model)
            if state.get("status") in ACTIVE and state.get("version") == version:
                return state  # already under way: idempotent
            if version == self.registry.stable(model):
                raise ValueError(f"{model} {version} is already stable")
            self.registry.update_routing(model, actor=actor, reason=f"canary start: {reason}", canary=version,
                                         canary_percent=0)
            self._reset(model)
            return self._save(model, {
                "model": model, "version": version, "baseline": self.registry.stable(model), "steps": list(steps),
                "step": -1, "status": LOADING, "since": self.clock(), "started": self.clock(),
                "actor": actor, "reason": reason,
            })

    def set_shadow(self, model: str, version: str | None, actor: str, reason: str) -> dict:
        self._check_model(model)
        with self._lock:
            self.shadow_windows.pop(model, None)
            return self.registry.update_routing(model, actor=actor, reason=f"shadow: {reason}", shadow=version)

    def promote(self, model: str, actor: str, reason: str, version: str | None = None) -> dict:
        self._check_model(model)
        with self._lock:
            state = self.state(model)
            routing = self.registry.routing(model)
            if not version and state.get("status") == LOADING:
                raise ValueError(f"{model} {state['version']} is still loading on its replicas; wait, or roll it back")
            if not version and routing["canary"] is None and state.get("status") == PROMOTED:
                return state  # promoted already: idempotent
            version = version or routing["canary"]
            if version is None:  # never a rolled-back canary by default: the operator names what to promote
                raise ValueError(f"{model} has no canary to promote; name a version")
            if routing["stable"] == version and routing["canary"] is None:
                return state  # already promoted
            self.registry.update_routing(model, actor=actor, reason=f"promote: {reason}", stable=version, canary=None)
            self._reset(model)
            return self._save(model, state | {"version": version, "status": PROMOTED, "since": self.clock(),
                                              "reason": reason, "actor": actor})

    def rollback(self, model: str, actor: str, reason: str) -> dict:
        self._check_model(model)
        with self._lock:
            state = self.state(model)
            if self.registry.routing(model)["canary"] is None and state.get("status") not in ACTIVE:
                return state  # nothing to roll back: idempotent
            self.registry.update_routing(model, actor=actor, reason=f"rollback: {reason}", canary=None)
            self._reset(model)
            state = self._save(model, state | {"status": ROLLED_BACK, "since": self.clock(), "rollback_reason": reason,
                                               "rolled_back_at": self.clock(), "actor": actor})
            logger.warning("%s canary %s rolled back: %s", model, state.get("version"), reason)
            return state

    # -- the loop ----------------------------------------------------------------------------
    def record(self, records: list[dict]) -> None:
        """Outcomes from the ingress: per request {model, version, arm, error, degraded, latency_ms}, and
        shadow samples {model, version, arm: "shadow", agreement}."""
        with self._lock:
            candidates = {m: s.get("version") for m in self.models if (s := self.state(m)).get("status") in ACTIVE}
            for r in records:
                model = r.get("model")
                if model not in self.windows:
                    continue
                if r["arm"] == CONTROL:
                    self.windows[model][CONTROL].add(r)
                elif r["arm"] == CANARY and r["version"] == candidates.get(model):
                    self.windows[model][CANARY].add(r)
                elif r["arm"] == SHADOW and r["version"] == candidates.get(model):
                    if "agreement" in r:  # the canary scoring stable's requests: its quality signal
                        self.windows[model][CANARY].add(r)
                elif r["arm"] == SHADOW:  # a shadow-only version: reported, never acted on
                    self.shadow_windows[model].add(r)

    def tick(self, model: str, residency: dict | None = None) -> dict | None:
        """One control interval. ``residency``: {"resident": bool, "error": str|None} for the canary on its replicas."""
        with self._lock:
            state = self.state(model)
            status, now = state.get("status"), self.clock()
            if status in ACTIVE and self.registry.routing(model)["canary"] != state["version"]:
                self._reconcile(model, state)
                return None
            if status == LOADING:
                residency = residency or {}
                if residency.get("version", state["version"]) != state["version"]:
                    return None  # an answer about an earlier canary
                if residency.get("error"):
                    self.rollback(model, "controller", f"failed to load: {residency['error']}")
                elif residency.get("resident"):
                    self._enter_step(model, state, 0)
                elif now - state["since"] > self.plan.load_timeout_s:
                    self.rollback(model, "controller", f"not loaded within {self.plan.load_timeout_s:g}s")
                return None
            if status not in (RUNNING, PAUSED):
                return None
            windows = self.windows[model]
            decision = judge(windows[CANARY], windows[CONTROL], self.plan.judge)
            percent = state["steps"][state["step"]]
            entry = {"model": model, "version": state["version"], "percent": percent, "step_s": round(now - state["since"], 1),
                     "arms": {CANARY: windows[CANARY].summary(), CONTROL: windows[CONTROL].summary()}} | decision.to_dict()
            action = "wait"
            if decision.verdict == FAIL:
                action = "rollback"
            elif status == RUNNING and decision.verdict == PASS and now - state["since"] >= self.plan.min_step_s:
                last = state["step"] + 1 >= len(state["steps"])
                # Steps that stop short of 100 % are an A/B test: the arms stay, judged, until an operator decides.
                action = "advance" if not last else "promote" if state["steps"][-1] >= 100 else "wait"
            elif status == RUNNING and now - max(state["since"], self.window_since[model]) > self.plan.max_step_s:
                action = "rollback" if self.plan.on_timeout == "rollback" else "pause"
            entry["action"] = action
            self._record(model, entry)
            if action == "rollback":
                reason = "; ".join(decision.reasons) or f"inconclusive for {self.plan.max_step_s:g}s at {percent:g}%"
                self.rollback(model, "controller", reason)
            elif action == "promote":
                self.promote(model, "controller", f"passed every step up to {percent:g}%")
            elif action == "advance":
                self._enter_step(model, state, state["step"] + 1)
            elif action == "pause":
                self._save(model, state | {"status": PAUSED})
            return entry

    def _enter_step(self, model: str, state: dict, step: int) -> None:
        percent = state["steps"][step]
        if percent >= 100:
            self.promote(model, "controller", "passed every step")
            return
        self.registry.update_routing(model, actor="controller", reason=f"canary step {step + 1}: {percent:g}%",
                                     canary_percent=percent)
        self._reset(model)
        self._save(model, state | {"step": step, "status": RUNNING, "since": self.clock()})

    def _reset(self, model: str) -> None:
        self.windows[model] = defaultdict(ArmWindow)
        self.window_since[model] = self.clock()

    def _reconcile(self, model: str, state: dict) -> None:
        """Routing no longer names this canary: record what routing says happened."""
        promoted = self.registry.stable(model) == state["version"]
        self._save(model, state | {"status": PROMOTED if promoted else ROLLED_BACK, "since": self.clock()}
                   | ({} if promoted else {"rollback_reason": "routing changed outside the controller",
                                           "rolled_back_at": self.clock()}))
        self._reset(model)

    def status(self, model: str) -> dict:
        with self._lock:
            windows = self.windows[model]
            return {
                "routing": self.registry.routing(model), "rollout": self.state(model) | {"actor": None, "reason": None},
                "window": {arm: windows[arm].summary() for arm in (CANARY, CONTROL)},
                "shadow_window": self.shadow_windows[model].summary() if model in self.shadow_windows else None,
                "decisions": self.decisions(model, 5),
            }

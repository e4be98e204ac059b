"""The judge: is the canary worse than the control arm, over the same window?

Three outcomes per metric and for the whole (Argo Rollouts' split):
``pass``, ``fail``, and ``inconclusive`` (not enough data yet). Each metric
uses the test that suits its data:

- **errors** (critical): Wald's sequential probability ratio test on the
  canary's share of all errors. Under "no worse" errors split between arms in
  proportion to traffic; the alternative is an error rate ``error_ratio``
  times the control's. Counting events keeps it sensitive to rare errors,
  which a rank test over per-request outcomes misses (Kayenta#426), and a
  sequential test may look after every interval with its false-alarm rate
  still bounded by ``alpha``. A critical metric fails at once, before the
  arms reach ``min_requests``.
- **degraded** (the stage was late: skipped, timed out, overloaded): not
  rare under load, so a one-sided Fisher exact test on the two arms' rates,
  with alpha spent across looks, and a minimum absolute increase
  (``degraded_min_effect``). A version too slow for the budget shows here
  first: its calls stop completing.
- **latency**: a one-sided Mann-Whitney U test, canary slower than control,
  *and* a minimum relative effect on P50 or P99, so a significant but
  harmless 2 % is not a regression. Looks are counted by information, not by
  clock: look k tests the first k blocks of ``min_requests`` samples per arm
  (the judge may run every second; a look happens when a block fills), and
  spends ``alpha * 6 / (pi^2 k^2)``, which sums to ``alpha`` over all looks.
- **agreement** (quality without click data): the chance-corrected top-10
  overlap between the candidate's order and stable's on the same requests
  (shadow scoring). It fails when even its upper confidence bound is under
  ``min_agreement``. Click-through joins as a metric once shopper events
  exist; until then the no-data policy is explicit: a missing quality signal
  is ``inconclusive`` unless ``quality_optional``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np

PASS, FAIL, INCONCLUSIVE = "pass", "fail", "inconclusive"
METRICS = 4  # alpha is split evenly between them (Bonferroni), so it bounds the step's false alarms as a whole


@dataclass(frozen=True)
class JudgePolicy:
    alpha: float = 0.05  # false-alarm rate of a step, over all its metrics and looks
    beta: float = 0.2  # miss rate of the count tests at the effect below
    error_ratio: float = 3.0  # the error-rate ratio (canary / control) the count tests are powered for
    min_requests: int = 50  # per arm, before a non-critical metric can pass or fail
    latency_min_effect: float = 0.25  # P50 or P99 at least this much slower, and significant
    degraded_min_effect: float = 0.1  # degraded share at least this much higher (absolute), and significant
    min_agreement: float = 0.5  # chance-corrected top-10 overlap with stable (1 = same order, 0 = random)
    min_agreement_samples: int = 20
    quality_optional: bool = False  # no agreement samples: pass (True) or wait (False)


@dataclass
class ArmWindow:
    """What one arm did since the step began."""

    requests: int = 0
    errors: int = 0
    degraded_flags: list[bool] = field(default_factory=list)  # in arrival order: looks test a prefix
    latencies_ms: list[float] = field(default_factory=list)
    agreement: list[float] = field(default_factory=list)
    clicks: int = 0  # shoppers' clicks while assigned to this arm: shown (click-through), not judged

    @property
    def degraded(self) -> int:
        return sum(self.degraded_flags)

    def add(self, record: dict) -> None:
        if "agreement" in record:
            self.agreement.append(float(record["agreement"]))
            return
        if record.get("click"):
            self.clicks += 1
            return
        self.requests += 1
        self.errors += bool(record.get("error"))
        self.degraded_flags.append(bool(record.get("degraded")))
        if record.get("latency_ms") is not None and not record.get("error"):
            self.latencies_ms.append(float(record["latency_ms"]))

    def summary(self) -> dict:
        lat = np.asarray(self.latencies_ms)
        return {
            "requests": self.requests, "errors": self.errors, "degraded": self.degraded,
            "p50_ms": round(float(np.percentile(lat, 50)), 2) if lat.size else None,
            "p99_ms": round(float(np.percentile(lat, 99)), 2) if lat.size else None,
            "agreement": round(float(np.mean(self.agreement)), 3) if self.agreement else None,
            "agreement_samples": len(self.agreement),
            "clicks": self.clicks,
            "click_through": round(self.clicks / self.requests, 4) if self.requests else None,
        }


@dataclass
class MetricResult:
    name: str
    verdict: str
    critical: bool
    canary: float | None
    control: float | None
    threshold: str
    statistic: float | None = None
    p_value: float | None = None
    detail: str = ""


@dataclass
class Decision:
    verdict: str
    metrics: list[MetricResult]
    at: float = field(default_factory=time.time)

    @property
    def reasons(self) -> list[str]:
        return [f"{m.name}: {m.detail}" for m in self.metrics if m.verdict == FAIL]

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "at": self.at, "reasons": self.reasons,
                "metrics": [asdict(m) for m in self.metrics]}


def looked_at(n_canary: int, n_control: int, per_look: int) -> tuple[int, float]:
    """(samples per arm this look tests, its alpha share): whole blocks of ``per_look`` only."""
    look = min(n_canary, n_control) // max(per_look, 1)
    return look * per_look, 6 / (math.pi**2 * max(look, 1) ** 2)


def error_test(canary_events: int, canary_n: int, control_events: int, control_n: int,
               policy: JudgePolicy) -> MetricResult:
    """Wald SPRT on the canary's share of the errors, conditional on their total. Critical: it may fail at once."""
    rate = lambda events, n: events / n if n else None  # noqa: E731
    result = MetricResult("errors", INCONCLUSIVE, True, rate(canary_events, canary_n), rate(control_events, control_n),
                          f"rate ratio >= {policy.error_ratio:g} (SPRT, alpha {policy.alpha / METRICS:g}, beta {policy.beta:g})")
    if not canary_n or not control_n:
        result.detail = "no requests in an arm yet"
        return result
    share = canary_n / (canary_n + control_n)
    worse = policy.error_ratio * share / (policy.error_ratio * share + 1 - share)
    llr = canary_events * math.log(worse / share) + control_events * math.log((1 - worse) / (1 - share))
    result.statistic = round(llr, 4)
    alpha = policy.alpha / METRICS
    fail_at, accept_at = math.log((1 - policy.beta) / alpha), math.log(policy.beta / (1 - alpha))
    enough = min(canary_n, control_n) >= policy.min_requests
    if llr >= fail_at:
        result.verdict = FAIL
        result.detail = (f"canary {canary_events}/{canary_n} vs control {control_events}/{control_n}; "
                         f"log-likelihood ratio {llr:.2f} >= {fail_at:.2f}")
    elif llr <= accept_at or (enough and llr <= 0):
        # Wald's accept boundary; or, errors being rare, enough traffic with no more errors than its share.
        result.verdict = PASS
        result.detail = f"log-likelihood ratio {llr:.2f} (fail at {fail_at:.2f})"
    else:
        result.detail = (f"canary {canary_events}/{canary_n} vs control {control_events}/{control_n}; "
                         f"log-likelihood ratio {llr:.2f}: waiting for more requests")
    return result


def rate_test(name: str, canary: list[bool], control: list[bool], policy: JudgePolicy) -> MetricResult:
    """One-sided Fisher exact test: is the canary's rate of `name` higher than control's, by the minimum effect?"""
    from scipy.stats import fisher_exact

    result = MetricResult(name, INCONCLUSIVE, False, None, None,
                          f"+{policy.degraded_min_effect:g} absolute and Fisher p < spent alpha")
    n, share = looked_at(len(canary), len(control), policy.min_requests)
    if n == 0:
        result.detail = f"{min(len(canary), len(control))} of {policy.min_requests} requests per arm"
        return result
    c, k = sum(canary[:n]), sum(control[:n])
    result.canary, result.control = c / n, k / n
    statistic, p_value = fisher_exact([[c, n - c], [k, n - k]], alternative="greater")
    alpha = policy.alpha / METRICS * share
    result.statistic, result.p_value = float(statistic), float(p_value)
    worse = p_value < alpha and result.canary - result.control >= policy.degraded_min_effect
    result.verdict = FAIL if worse else PASS
    result.detail = f"canary {c}/{n} vs control {k}/{n}; p={p_value:.2g} vs alpha {alpha:.2g}"
    return result


def latency_test(canary: list[float], control: list[float], policy: JudgePolicy) -> MetricResult:
    from scipy.stats import mannwhitneyu

    result = MetricResult("latency", INCONCLUSIVE, False, None, None,
                          f"+{100 * policy.latency_min_effect:.0f}% on P50 or P99 and Mann-Whitney p < spent alpha")
    n, share = looked_at(len(canary), len(control), policy.min_requests)
    if n == 0:
        result.detail = f"{min(len(canary), len(control))} of {policy.min_requests} samples per arm"
        return result
    canary, control = canary[:n], control[:n]
    c50, c99 = np.percentile(canary, [50, 99])
    k50, k99 = np.percentile(control, [50, 99])
    result.canary, result.control = round(float(c50), 2), round(float(k50), 2)
    effect = max(c50 / max(k50, 1e-9), c99 / max(k99, 1e-9)) - 1
    test = mannwhitneyu(canary, control, alternative="greater")
    alpha = policy.alpha / METRICS * share
    result.statistic, result.p_value = float(test.statistic), float(test.pvalue)
    slower = test.pvalue < alpha and effect >= policy.latency_min_effect
    result.verdict = FAIL if slower else PASS
    result.detail = (f"P50 {c50:.1f} vs {k50:.1f} ms, P99 {c99:.1f} vs {k99:.1f} ms (+{100 * effect:.0f}%); "
                     f"p={test.pvalue:.2g} vs alpha {alpha:.2g}")
    return result


def agreement_test(samples: list[float], policy: JudgePolicy) -> MetricResult:
    from scipy.stats import t as student_t

    result = MetricResult("agreement", INCONCLUSIVE, False, None, 1.0, f"top-10 agreement >= {policy.min_agreement:g}")
    n, share = looked_at(len(samples), len(samples), policy.min_agreement_samples)
    if n == 0:
        if policy.quality_optional:
            result.verdict = PASS
        result.detail = f"{len(samples)} of {policy.min_agreement_samples} shadow samples" + (
            " (quality optional: passes without them)" if policy.quality_optional else "")
        return result
    samples = samples[:n]
    mean = float(np.mean(samples))
    sem = float(np.std(samples, ddof=1) / math.sqrt(n))
    upper = mean + student_t.ppf(1 - policy.alpha / METRICS * share, n - 1) * sem
    result.canary, result.statistic = round(mean, 4), round(upper, 4)
    if upper < policy.min_agreement:
        result.verdict = FAIL
        result.detail = f"mean {mean:.3f}, upper confidence bound {upper:.3f} < {policy.min_agreement:g}"
    elif mean >= policy.min_agreement:
        result.verdict = PASS
        result.detail = f"mean {mean:.3f} over {n} samples"
    else:
        result.detail = f"mean {mean:.3f} < {policy.min_agreement:g} but not significantly (bound {upper:.3f})"
    return result


def judge(canary: ArmWindow, control: ArmWindow, policy: JudgePolicy) -> Decision:
    metrics = [
        error_test(canary.errors, canary.requests, control.errors, control.requests, policy),
        rate_test("degraded", canary.degraded_flags, control.degraded_flags, policy),
        latency_test(canary.latencies_ms, control.latencies_ms, policy),
        agreement_test(canary.agreement, policy),
    ]
    verdicts = {m.verdict for m in metrics}
    verdict = FAIL if FAIL in verdicts else PASS if verdicts == {PASS} else INCONCLUSIVE
    return Decision(verdict, metrics)


def top_k_agreement(served: list[str], candidate: list[str], pool_size: int, k: int = 10) -> float:
    """Overlap of two orders' top k, corrected for chance: 1 = the same top k, 0 = what random picks from a
    pool of ``pool_size`` share. k is at most half the pool, so a short list still says something."""
    k = min(k, len(served), len(candidate), pool_size // 2)
    if k == 0:
        return 1.0
    overlap = len(set(served[:k]) & set(candidate[:k])) / k
    chance = k / pool_size
    return (overlap - chance) / (1 - chance)

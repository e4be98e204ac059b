"""Typed settings of the Serve application; ``ray_config.yaml`` fills them in.

Every deployment moves to GPUs with one key, ``num_gpus``: the device
(``cuda`` vs ``cpu``), fp16 and the reranker's TensorRT backend follow from it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


# Chosen by measurement (README, "Chat assistant"): on 2 CPU cores the 0.5B model's time to first
# token is over the 1.2 s budget, so the small model answers and the grounded parts carry the facts.
CPU_DEFAULT_LLM = "smollm2-135m"
GPU_DEFAULT_LLM = "qwen2.5-0.5b"


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeploymentSettings(_Settings):
    num_replicas: int = Field(1, ge=1)
    num_cpus: float = Field(0.25, ge=0)
    num_gpus: float = Field(0.0, ge=0)
    max_ongoing_requests: int = Field(64, ge=1)
    # Requests queued beyond this are refused (503 + Retry-After) instead of piling up.
    max_queued_requests: int = Field(256, ge=-1)

    @property
    def device(self) -> str:
        return "cuda" if self.num_gpus > 0 else "cpu"

    def serve_options(self) -> dict:
        return {
            "num_replicas": self.num_replicas,
            "max_ongoing_requests": self.max_ongoing_requests,
            "max_queued_requests": self.max_queued_requests,
            # Serve's own refusals (a full queue) carry Retry-After too.
            "backpressure_config": {"status_code": 503, "retry_after_s": 1},
            "ray_actor_options": {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus},
        }


class BatchingSettings(DeploymentSettings):
    max_batch_size: int = Field(32, ge=1)
    batch_wait_timeout_s: float = Field(0.005, ge=0)
    cpu_threads: int = Field(1, ge=1, description="torch / ONNX Runtime threads per CPU replica")


class EmbedderSettings(BatchingSettings):
    pass


class RetrieverSettings(DeploymentSettings):
    index_version: str = "stable"
    ltr_version: str = Field("stable", description="first-phase ranker; 'none' serves the fused hybrid order")
    rrf_k: float = Field(60.0, gt=0)
    dense_weight: float = Field(1.0, ge=0)
    lexical_weight: float = Field(1.0, ge=0)


class RerankerSettings(BatchingSettings):
    max_batch_size: int = Field(4, ge=1, description="search requests (each up to rerank_depth pairs) per engine call")
    backend: str = Field("auto", pattern="^(auto|tensorrt|onnxruntime|torch)$")
    version: str = Field("stable", description="'stable', a version id, or 'none' to serve without phase 2")
    fault_delay_ms: float = Field(0.0, ge=0, description="fault injection for drills and tests: added to every batch")


class IngressSettings(DeploymentSettings):
    max_ongoing_requests: int = Field(256, ge=1)
    max_queued_requests: int = Field(256, ge=-1)
    retrieval_depth: int = Field(200, ge=1, le=1000, description="hybrid candidates ranked by phase 1 (LTR)")
    rerank_depth: int = Field(20, ge=0, le=200, description="phase-1 leaders re-scored by the cross-encoder")
    search_slo_ms: float = Field(500.0, gt=0, description="a search's latency budget (the P99 target)")
    enforce_budget: bool = Field(True, description="skip late optional stages and refuse work that cannot make the SLO")
    admission_latency_share: float = Field(
        0.5, gt=0, le=1, description="the share of the SLO the mandatory stages may take before admission tightens"
    )
    per_client_rps: float = Field(0.0, ge=0, description="requests/s per user_id (or client address); 0 = no limit")
    per_client_burst: int = Field(20, ge=1)
    stage_timeout_s: float = Field(10.0, gt=0, description="with the budget off: a stage slower than this answers 503")
    admin_token_file: str | None = Field(
        None, description="file holding the admin bearer token; null: env RETAIL_ADMIN_TOKEN, else "
        "<repo>/.secrets/admin_token. No token configured: the /admin API is off")


class RecommenderSettings(DeploymentSettings):
    """The recommender and the event store it owns (``/v1/events``, ``/v1/shoppers``, ``/v1/recommend``)."""

    # No CPU reserved: its work is a few small matrix products per request, and a reserved share
    # would starve Ray Data and Train jobs on a small node (see the README's CPU budget).
    num_cpus: float = Field(0.0, ge=0)
    max_ongoing_requests: int = Field(64, ge=1)
    max_queued_requests: int = Field(128, ge=-1)
    version: str = Field("stable", description="'stable' follows routing (canary too); 'none' serves without a "
                         "trained model (profile, context and popularity only); or a pinned version")
    events: str | None = Field(None, description="event store: a SQLite path or redis://host:port/db; "
                               "null: $RETAIL_EVENTS, else <artifacts>/events/events.db")
    seed_demo_events: bool = Field(True, description="load the shipped demo event log into an empty store")
    half_life_days: float = Field(14.0, gt=0, description="how fast an event's weight in a profile fades")
    trending_days: float = Field(7.0, gt=0, description="'popular this week': counted back from the newest event")
    diversity: float = Field(0.3, ge=0, le=1, description="MMR: how much similarity to items above costs")
    duplicate_similarity: float = Field(0.92, gt=0, le=1, description="items this similar never share a page")
    long_tail_share: float = Field(0.2, ge=0, le=1, description="share of a page kept for long-tail items")
    new_item_share: float = Field(0.1, ge=0, le=1, description="share of a page (rounded up) kept for products "
                                  "with no events yet, the best matches among them (0: none kept)")
    timeout_s: float = Field(2.0, gt=0, description="the ingress gives a recommender call this long")
    search_weight: float = Field(0.15, ge=0, le=1, description="how much a shopper's affinities move /v1/search "
                                 "results when the request names a user_id (0: off)")
    generated_reasons: bool = Field(True, description="show the stable copy version's LLM reasons (checked against "
                                    "the catalog) where one exists for the shopper and product; false: templates only")


class InsightsSettings(DeploymentSettings):
    """Review insight (``/v1/insights/...``, shopper tags); it reads the recommender's event store."""

    num_cpus: float = Field(0.0, ge=0, description="reviews arrive a few at a time; none reserved, as the recommender")
    cpu_threads: int = Field(1, ge=1)
    refresh_s: float = Field(5.0, gt=0, description="how often new review events are read and analysed")
    timeout_s: float = Field(3.0, gt=0, description="the ingress gives an insights call this long")
    quotes: int = Field(2, ge=0, le=10, description="example quotes per aspect and polarity")
    alert_window_days: float = Field(7.0, gt=0, description="alerts compare the last this-many days ...")
    alert_baseline_days: float = Field(28.0, gt=0, description="... with this many days before them")
    alert_min_negative: int = Field(3, ge=1, description="complaints in the window an alert needs at least")
    alert_min_ratio: float = Field(2.0, ge=1, description="the window's complaint share over the baseline's")
    alert_alpha: float = Field(0.05, gt=0, lt=1, description="one-sided Fisher exact test")


class LLMSettings(DeploymentSettings):
    num_cpus: float = Field(1.0, ge=0)
    max_ongoing_requests: int = Field(96, ge=1)
    max_queued_requests: int = Field(32, ge=-1)
    model: str = Field("auto", description="a packaged model name, a local HF folder, or 'auto': "
                       "qwen2.5-0.5b on a GPU, the measured CPU default on a CPU")
    engine: str = Field("continuous", pattern="^(continuous|sequential)$")
    cpu_threads: int | None = Field(None, ge=1)
    max_batch_size: int = Field(16, ge=1, description="sequences decoded together (continuous batching)")
    max_queue: int = Field(64, ge=0, description="requests waiting for a batch slot; past it: overloaded")
    max_prompt_tokens: int = Field(2048, ge=64)
    fault: str = Field("none", pattern="^(none|error|hang)$", description="fault injection for drills and tests")

    @property
    def model_name(self) -> str:
        if self.model != "auto":
            return self.model
        return GPU_DEFAULT_LLM if self.num_gpus > 0 else CPU_DEFAULT_LLM


class ChatSettings(_Settings):
    ttft_timeout_s: float = Field(1.2, gt=0, description="to the LLM's first token; past it the grounded fallback answers")
    total_timeout_s: float = Field(8.0, gt=0)
    max_tokens: int = Field(96, ge=1, le=512, description="answer length cap (a request may ask for less)")
    products_shown: int = Field(4, ge=1, le=10)
    min_product_similarity: float = Field(0.2, ge=-1, le=1, description="below it retrieval is unsure: fallback")
    min_policy_similarity: float = Field(0.25, ge=-1, le=1)
    breaker_failures: int = Field(3, ge=1, description="consecutive LLM failures that open the circuit breaker")
    breaker_cooldown_s: float = Field(30.0, gt=0)
    policies_path: str | None = Field(None, description="policy passages (JSONL); null: the demo policies")
    intent_version: str = "stable"


class RolloutSettings(_Settings):
    """Canary rollout: the steps, how often and how strictly the judge looks, and the no-data policy."""

    interval_s: float = Field(10.0, gt=0, description="the judge looks this often")
    steps: list[float] = Field([5, 25, 50, 100], min_length=1, description="canary percent per step; 100 = promote")
    min_step_s: float = Field(60.0, ge=0, description="a step is judged at least this long before it advances")
    max_step_s: float = Field(900.0, gt=0, description="inconclusive this long: on_timeout")
    load_timeout_s: float = Field(300.0, gt=0, description="a canary not loaded on its replicas by then is rolled back")
    on_timeout: str = Field("hold", pattern="^(hold|rollback)$", description="hold: pause for an operator; rollback")
    shadow_sample: float = Field(0.2, ge=0, le=1, description="share of stable-served requests the candidate also scores")
    alpha: float = Field(0.05, gt=0, lt=0.5, description="false-alarm rate of a step, over all its looks")
    beta: float = Field(0.2, gt=0, lt=0.5)
    error_ratio: float = Field(3.0, gt=1, description="the canary/control error-rate ratio the count tests catch")
    min_requests: int = Field(50, ge=1, description="per arm, before a non-critical metric decides")
    latency_min_effect: float = Field(0.25, ge=0, description="relative P50 or P99 slowdown that counts as a regression")
    degraded_min_effect: float = Field(0.1, ge=0, le=1, description="absolute rise in the degraded share that counts")
    min_agreement: float = Field(0.5, ge=-1, le=1, description="chance-corrected top-10 agreement with stable")
    min_agreement_samples: int = Field(20, ge=2)
    quality_optional: bool = Field(False, description="no quality samples: pass (true) or stay inconclusive (false)")

    @field_validator("steps")
    @classmethod
    def _steps_rise_to_100(cls, steps: list[float]) -> list[float]:
        if any(not 0 < s <= 100 for s in steps) or steps != sorted(set(steps)) or steps[-1] != 100:
            raise ValueError(f"steps must rise strictly within (0, 100] and end at 100 (promotion), got {steps}")
        return steps

    def plan(self):
        from retail.rollout.controller import RolloutPlan
        from retail.rollout.judge import JudgePolicy

        judge = JudgePolicy(**self.model_dump(include={
            "alpha", "beta", "error_ratio", "min_requests", "latency_min_effect", "degraded_min_effect", "min_agreement",
            "min_agreement_samples", "quality_optional"}))
        return RolloutPlan(steps=tuple(self.steps), min_step_s=self.min_step_s, max_step_s=self.max_step_s,
                           load_timeout_s=self.load_timeout_s, on_timeout=self.on_timeout, judge=judge)


class AppSettings(_Settings):
    registry_root: str | None = None
    embedder: EmbedderSettings = EmbedderSettings()
    retriever: RetrieverSettings = RetrieverSettings()
    reranker: RerankerSettings = RerankerSettings()
    ingress: IngressSettings = IngressSettings()
    recommender: RecommenderSettings = RecommenderSettings()
    insights: InsightsSettings = InsightsSettings()
    llm: LLMSettings = LLMSettings()
    chat: ChatSettings = ChatSettings()
    rollout: RolloutSettings = RolloutSettings()

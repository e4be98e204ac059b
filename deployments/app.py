"""Application builder: typed settings -> the bound Serve application.

``ray_config.yaml`` names ``deployments.app:build_app`` as its import path and
passes ``args``; they are validated by ``AppSettings`` (an unknown key is an
error, not ignored) before anything is deployed. ``llm: null`` deploys the
search path without the assistant; ``recommender: null`` leaves out the
recommender and the event store (their APIs answer 503); ``insights: null``
leaves out review insight (it needs the recommender's event store).
"""

from __future__ import annotations

from ray.serve import Application

from deployments.embedder import EmbedderDeployment
from deployments.ingress import Ingress
from deployments.insights import InsightsDeployment
from deployments.llm import LLMDeployment
from deployments.recommender import RecommenderDeployment
from deployments.reranker import RerankerDeployment
from deployments.retriever import RetrieverDeployment
from deployments.rollout import RolloutDeployment
from retail.settings import AppSettings


def build_app(args: dict | None = None) -> Application:
    args = dict(args or {})
    with_llm = args.get("llm", {}) is not None
    if not with_llm:
        args.pop("llm")
    with_recommender = args.get("recommender", {}) is not None
    if not with_recommender:
        args.pop("recommender")
    with_insights = args.get("insights", {}) is not None and with_recommender  # it reads the recommender's store
    if not with_insights:
        args.pop("insights", None)
    settings = AppSettings.model_validate(args)
    emb, ret, rr, ing, llm = settings.embedder, settings.retriever, settings.reranker, settings.ingress, settings.llm
    embedder = EmbedderDeployment.options(**emb.serve_options()).bind(
        registry_root=settings.registry_root, device=emb.device, cpu_threads=emb.cpu_threads,
        max_batch_size=emb.max_batch_size, batch_wait_timeout_s=emb.batch_wait_timeout_s,
    )
    retriever = RetrieverDeployment.options(
        **ret.serve_options(),
        user_config={"index_version": ret.index_version, "ltr_version": ret.ltr_version, "k": ret.rrf_k,
                     "dense_weight": ret.dense_weight, "lexical_weight": ret.lexical_weight},
    ).bind(registry_root=settings.registry_root)
    reranker = RerankerDeployment.options(**rr.serve_options(), user_config={"version": rr.version}).bind(
        registry_root=settings.registry_root, backend=rr.backend, device=rr.device, cpu_threads=rr.cpu_threads,
        max_batch_size=rr.max_batch_size, batch_wait_timeout_s=rr.batch_wait_timeout_s,
        fault_delay_ms=rr.fault_delay_ms,
    )
    recommender = None
    if with_recommender:
        recommender = RecommenderDeployment.options(**settings.recommender.serve_options()).bind(
            embedder, registry_root=settings.registry_root, settings=settings.recommender.model_dump())
    insights = None
    if with_insights:
        insights = InsightsDeployment.options(**settings.insights.serve_options()).bind(
            embedder, registry_root=settings.registry_root, settings=settings.insights.model_dump(),
            events=settings.recommender.events)
    chat_model = None
    if with_llm:
        chat_model = LLMDeployment.options(**llm.serve_options(), user_config={"fault": llm.fault}).bind(
            model=llm.model_name, engine=llm.engine, device=llm.device, cpu_threads=llm.cpu_threads,
            max_batch_size=llm.max_batch_size, max_queue=llm.max_queue, max_prompt_tokens=llm.max_prompt_tokens,
        )
    controller = RolloutDeployment.bind(
        embedder, retriever, reranker, recommender, settings=settings.rollout.model_dump(),
        registry_root=settings.registry_root)
    return Ingress.options(**ing.serve_options()).bind(
        embedder, retriever, reranker, controller, recommender, chat_model, insights, settings=ing.model_dump(),
        # Only what the ingress reads: moving the store or adding recommender replicas then restarts nothing else.
        recommender_settings=settings.recommender.model_dump(include={"timeout_s", "search_weight"}),
        chat_settings=settings.chat.model_dump(), insights_timeout_s=settings.insights.timeout_s,
        shadow_sample=settings.rollout.shadow_sample,
        registry_root=settings.registry_root, llm_name=llm.model_name if with_llm else "none",
    )

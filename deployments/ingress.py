"""Serve deployment: the HTTP front door (FastAPI), a thin router in front of the model deployments.

    routes/search.py  POST /v1/search              the search path (embedder -> retriever -> reranker)
    routes/chat.py    POST /v1/chat/completions    the assistant (OpenAI-compatible, streaming)
    routes/events.py  POST /v1/events              shopper behaviour, durable before the 2xx
    routes/shoppers.py GET /v1/shoppers/{id}       a shopper's profile and tags
    routes/insights.py GET /v1/insights/...        review insight: products, topics, alerts
    routes/recommend.py POST /v1/recommend         personalised recommendations with reasons
    routes/rollout.py GET  /v1/rollout, /admin/rollout/...  canary split, decisions, operator actions (admin token)
    routes/ops.py     GET  /v1/models, /healthz, /livez
    routes/pages.py   GET  /, /ops, /docs          the shopper and operator pages, offline API docs, security headers

The ingress builds one service per API area over the DeploymentHandles; a router reads its request top to bottom and
calls its service (``deployments.routes.services``). Failures map to HTTP in one place (``deployments/errors.py``).
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
from fastapi import FastAPI
from ray import serve
from ray.serve.handle import DeploymentHandle

from deployments.errors import install_error_handlers
from deployments.routes import chat, events, insights, ops, pages, recommend, rollout, search, services, shoppers
from retail.admin_token import read_admin_token
from retail.registry import ModelRegistry
from retail.settings import ChatSettings, IngressSettings, RecommenderSettings

# FastAPI's own /docs loads Swagger UI from a CDN (blank offline); pages.install serves it from local files.
app = FastAPI(title="Retail search and assistant", version="0.4.0", docs_url=None, redoc_url=None)
install_error_handlers(app)
for area in (search, chat, events, shoppers, recommend, insights, rollout, ops):
    app.include_router(area.router)
pages.install(app)


@serve.deployment(name="ingress")
@serve.ingress(app)
class Ingress:
    async def __init__(self, embedder: DeploymentHandle, retriever: DeploymentHandle, reranker: DeploymentHandle,
                       rollout_controller: DeploymentHandle, recommender: DeploymentHandle | None = None,
                       llm: DeploymentHandle | None = None, insights_handle: DeploymentHandle | None = None,
                       settings: dict | None = None,
                       recommender_settings: dict | None = None, chat_settings: dict | None = None,
                       insights_timeout_s: float = 3.0, shadow_sample: float = 0.2,
                       registry_root: str | None = None, llm_name: str = "llm"):
        ingress = IngressSettings.model_validate(settings or {})
        svc = services()
        svc.rollout = rollout.RolloutService(ModelRegistry(registry_root), rollout_controller, shadow_sample,
                                             read_admin_token(ingress.admin_token_file))
        svc.recommend = None if recommender is None else recommend.RecommendService(
            recommender, RecommenderSettings.model_validate(recommender_settings or {}), svc.rollout)
        svc.search = search.SearchService(embedder, retriever, reranker, ingress, svc.rollout, svc.recommend)
        svc.stages = {"embedder": embedder, "retriever": retriever, "reranker": reranker}
        if recommender is not None:
            svc.stages["recommender"] = recommender
        svc.insights = None if insights_handle is None else insights.InsightsService(insights_handle, insights_timeout_s)
        if insights_handle is not None:
            svc.stages["insights"] = insights_handle
        svc.stage_timeout_s = ingress.stage_timeout_s
        svc.chat = None
        if llm is not None:
            svc.stages["llm"] = llm
            svc.chat = await chat.ChatService.create(
                svc.search, embedder, retriever, llm, ChatSettings.model_validate(chat_settings or {}),
                registry_root, llm_name, svc.recommend,
            )

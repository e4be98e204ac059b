"""The ingress's routers, one module per API area.

Serve builds its own copy of the FastAPI app in the replica, so routers do
not read ``request.app.state``; the ingress puts its services here, once per
replica process, and each router takes them with ``Depends(services)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Services:
    search: Any = None  # routes.search.SearchService
    chat: Any = None  # routes.chat.ChatService, or None without an LLM
    rollout: Any = None  # routes.rollout.RolloutService
    recommend: Any = None  # routes.recommend.RecommendService (events, shoppers and recommend routers)
    insights: Any = None  # routes.insights.InsightsService (insights router, shopper tags), or None
    stages: dict = field(default_factory=dict)  # name -> DeploymentHandle, for health and /v1/models
    stage_timeout_s: float = 10.0


_current = Services()


def services() -> Services:
    return _current

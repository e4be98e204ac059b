"""The web pages: the shopper page at ``/``, the operator page at ``/ops``, and the API docs at ``/docs``.

    GET /            shopper page: search with filters, the assistant (streamed), "recommended for you"
    GET /ops         operator page: models, the canary split and the judge's decisions, actions, review insight
    GET /docs        Swagger UI from local files (fastapi-offline's copy): an air-gapped retailer gets its docs too
    GET /ui/config   what the pages pick from: demo shoppers, catalog categories
    /static/...      the pages' own files (deployments/web/), no build step

Every response carries a Content-Security-Policy: scripts and styles only
from this origin, no inline script (the pages add text with textContent,
never markup), no framing. ``/docs`` needs one inline script (Swagger UI's
start-up): it is allowed by its hash, not by 'unsafe-inline'.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
import base64
import functools
import gzip
import hashlib
import json
import re
from collections import Counter
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from deployments.errors import call_stage
from deployments.routes import Services, services
from retail.paths import DEMO_EVENTS

router = APIRouter(include_in_schema=False)
WEB = Path(__file__).resolve().parent.parent / "web"
DOCS_ASSETS = Path(str(files("fastapi_offline") / "static"))
DEMO_SHOPPERS_SHOWN = 12

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


@router.get("/")
async def shopper_page() -> FileResponse:
    return FileResponse(WEB / "index.html", media_type="text/html")


@router.get("/ops")
async def operator_page() -> FileResponse:
    return FileResponse(WEB / "ops.html", media_type="text/html")


@router.get("/ui/config")
async def page_config(svc: Services = Depends(services)) -> dict:
    categories = await call_stage("retriever", svc.stages["retriever"].categories.remote(), svc.stage_timeout_s)
    return {"shoppers": _demo_shoppers(), "categories": categories}


@functools.lru_cache(maxsize=1)
def _demo_shoppers() -> list[str]:
    """The most active demo shoppers: a picker needs ids that have a history."""
    counts: Counter = Counter()
    if DEMO_EVENTS.exists():
        with gzip.open(DEMO_EVENTS, "rt") as f:
            counts.update(json.loads(line)["user_id"] for line in f if line.strip())
    return [user for user, _ in counts.most_common(DEMO_SHOPPERS_SHOWN)]


@functools.lru_cache(maxsize=1)
def _docs_page(title: str, openapi_url: str) -> tuple[str, str]:
    """Swagger UI's page over the local files, and its CSP: its one inline script allowed by hash. Built once."""
    body = get_swagger_ui_html(openapi_url=openapi_url, title=f"{title}: API",
                               swagger_js_url="/static/docs/swagger-ui-bundle.js",
                               swagger_css_url="/static/docs/swagger-ui.css",
                               swagger_favicon_url="/static/docs/favicon.png").body.decode()
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
                      for script in re.findall(r"<script>(.*?)</script>", body, flags=re.S))
    # Swagger UI sets style attributes from its script; its icons are data: SVGs.
    csp = CSP.replace("script-src 'self'", f"script-src 'self' {hashes}").replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'")
    return body, csp


def install(app: FastAPI) -> None:
    """Pages, their files, the offline docs and the security headers, on the ingress's app."""
    app.include_router(router)
    app.mount("/static/docs", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    app.mount("/static", StaticFiles(directory=WEB), name="pages")

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        body, csp = _docs_page(app.title, app.openapi_url)
        return HTMLResponse(body, headers={"Content-Security-Policy": csp})

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

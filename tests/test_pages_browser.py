"""The shopper page (/) and the operator page (/ops) in a real browser: Playwright driving Debian's chromium
headless against the real Serve app (search, the assistant with SmolLM2, recommendations, rollout, insight).

One deploy for the module, over a registry and an event store of its own (the session's versions, linked; the
demo event log), so that a canary can be started and rolled back, and events and reviews sent, from the pages
without moving what other modules serve or read.

Screenshots of both pages go to the test's temporary folder; with RETAIL_UPDATE_SCREENSHOTS=1 they replace
the README's (docs/screenshots/).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time

import httpx
import pytest
import yaml

from cluster import local
from cluster.up import serve_address, wait_healthy
from registry_links import linked_registry, new_reranker
from retail.paths import DEMO_CATALOG, REPO_ROOT

pytestmark = pytest.mark.integration
playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
CONFIG = REPO_ROOT / "ray_config.yaml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
WAIT_MS = 60_000  # a shared 2-core CI box: the first search or chat turn may take seconds
INJECTED = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def app(registry, tmp_path_factory):
    own = linked_registry(registry, tmp_path_factory.mktemp("pages_registry"))
    token = secrets.token_urlsafe(24)
    token_file = tmp_path_factory.mktemp("secrets") / "admin_token"
    token_file.write_text(token)
    config = yaml.safe_load(CONFIG.read_text())
    args = config["applications"][0]["args"]
    args["registry_root"] = str(own.root)
    args["ingress"]["admin_token_file"] = str(token_file)
    # Its own event store (seeded with the demo log): what the pages send stays out of other modules' data.
    args["recommender"]["events"] = str(tmp_path_factory.mktemp("events") / "events.db")
    args.setdefault("chat", {})["ttft_timeout_s"] = 15  # shared CPUs: let the LLM answer, not the fallback
    path = tmp_path_factory.mktemp("config") / "pages.yaml"
    path.write_text(yaml.safe_dump(config))
    local.deploy(path)
    url = serve_address(CONFIG)
    wait_healthy(url, timeout_s=300)
    return {"url": url, "token": token, "registry": own}


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: cluster/setup.sh installs Debian's chromium package (apt-get install chromium)")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


class Page:
    """A fresh page that records console errors, uncaught exceptions, dialogs and requests leaving 127.0.0.1."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.url, self.errors, self.dialogs, self.external = url, [], [], []
        self.page.on("console", lambda m: self.errors.append(f"{m.text} at {m.location.get('url')}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: None if r.url.startswith(url) or r.url.startswith("data:")
                     else self.external.append(r.url))

    def open(self, path: str):
        self.page.goto(self.url + path)
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def page(browser, app):
    opened = Page(browser, app["url"])
    yield opened
    opened.close()


def catalog() -> dict[str, dict]:
    return {p["product_id"]: p for p in map(json.loads, DEMO_CATALOG.read_text().splitlines())}


def shown_ids(page, selector: str) -> list[str]:
    return page.locator(f"{selector} > li.card").evaluate_all("cards => cards.map(c => c.dataset.product)")


def open_shop(page: Page):
    shop = page.open("/")
    shop.wait_for_function("() => document.querySelectorAll('#recommendations > li.card').length > 0")
    return shop


def search(shop, query: str, category: str = "", price_max: str = "") -> list[str]:
    shop.fill("#query", query)
    shop.select_option("#category", category)
    shop.fill("#price-max", price_max)
    shop.click("#search-form button[type=submit]")
    shop.wait_for_function("() => !document.getElementById('search-status').textContent.startsWith('Searching')")
    return shown_ids(shop, "#results")


def save_screenshot(page, name: str, tmp_path) -> None:
    target = tmp_path / name
    page.screenshot(path=str(target), full_page=True)
    if os.environ.get("RETAIL_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(target, SCREENSHOTS / name)


def test_pages_send_a_content_security_policy_and_docs_work_offline(app, page):
    for path in ("/", "/ops", "/v1/rollout"):
        response = httpx.get(app["url"] + path, timeout=30)
        csp = response.headers["content-security-policy"]
        assert response.status_code == 200 and "script-src 'self'" in csp and "'unsafe-inline'" not in csp, csp
        assert response.headers["x-content-type-options"] == "nosniff"
    docs = page.open("/docs")
    docs.wait_for_selector(".swagger-ui .information-container .title")
    assert "Retail search and assistant" in docs.locator(".swagger-ui .information-container .title").inner_text()
    docs.wait_for_selector(".opblock-summary-path[data-path='/v1/search']")
    assert page.external == [], page.external  # nothing from a CDN
    assert page.errors == [], page.errors


def test_the_shopper_page_loads_clean_and_every_control_has_a_name_and_a_tab_stop(page, tmp_path):
    shop = open_shop(page)
    assert page.errors == [], page.errors
    assert shop.locator("#shopper option").count() >= 2
    controls = shop.locator("button:visible, input:visible, select:visible, textarea:visible, a:visible")
    unnamed = [line for i in range(controls.count()) for line in [controls.nth(i).aria_snapshot().splitlines()[0]]
               if not re.match(r'^- \w+ "[^"]+"', line)]
    assert unnamed == [], unnamed
    # Tab from the top reaches every fixed control (cards' buttons come after them).
    wanted = {"shopper", "new-shopper", "query", "category", "price-max", "in-stock", "message", "send", "restart"}
    shop.locator("body").focus()
    reached = set()
    for _ in range(80):
        shop.keyboard.press("Tab")
        reached.add(shop.evaluate("document.activeElement.id"))
        if wanted <= reached:
            break
    assert wanted <= reached, wanted - reached


def test_a_search_shows_results_and_honours_its_filters(page):
    shop = open_shop(page)
    products = catalog()
    results = search(shop, "running shoes")
    assert results, shop.inner_text("#search-status")
    first = products[results[0]]
    card = shop.locator(f"#results > li.card[data-product='{first['product_id']}']")
    text = card.inner_text()
    assert first["title"] in text and f"${first['price']:.2f}" in text and ("stock" in text) and ("rated" in text or "no rating" in text)
    other = next(c for c in sorted({p["category"] for p in products.values()}) if c != first["category"])
    filtered = search(shop, "running shoes", category=other)
    assert filtered and all(products[i]["category"] == other for i in filtered), filtered
    cheap = search(shop, "running shoes", price_max="40")
    assert cheap and all(products[i]["price"] <= 40 for i in cheap)
    assert page.errors == [], page.errors


def test_a_chat_answer_streams_in_and_shows_product_cards(page, tmp_path):
    shop = open_shop(page)
    assert search(shop, "trail running shoes")
    # Every change to the answer's text is recorded, to see it arrive in pieces.
    # Every change to the answer's text is recorded with whether the stream was still open.
    shop.evaluate("""() => { window.answerSeen = [];
        new MutationObserver(() => { const a = document.querySelector('.turn.assistant .answer');
            if (a) window.answerSeen.push([a.textContent.length, a.hasAttribute('aria-busy')]); })
          .observe(document.getElementById('conversation'), {childList: true, subtree: true, characterData: true}); }""")
    shop.fill("#message", "I need trail running shoes for rocky paths, what do you have?")
    shop.press("#message", "Enter")
    turn = shop.locator(".turn.assistant").last
    turn.locator(".answer:not([aria-busy])").wait_for()
    seen = shop.evaluate("window.answerSeen")
    final = len(turn.locator(".answer").inner_text())
    # Streamed: text was on screen while the answer was still coming (the server releases each sentence
    # once the grounding gate has passed it), and more came after it.
    shown_early = [n for n, busy in seen if busy and 0 < n < final]
    assert shown_early, f"nothing shown before the whole answer: {seen}"
    assert turn.locator(".error").count() == 0, turn.inner_text()
    assert turn.locator("li.card").count() >= 1, turn.inner_text()
    products = catalog()
    for product_id in turn.locator("li.card").evaluate_all("cards => cards.map(c => c.dataset.product)"):
        assert product_id in products
    follow_up = turn.locator("button.suggestion")
    if follow_up.count():  # a clickable follow-up sends itself as the next question
        question = follow_up.inner_text()
        follow_up.click()
        shop.locator(".turn.user").last.get_by_text(question).wait_for()
        shop.locator(".turn.assistant").nth(1).locator(".answer:not([aria-busy])").wait_for()
    save_screenshot(shop, "shopper.png", tmp_path)
    assert page.errors == [], page.errors


def test_clicking_a_product_changes_the_recommendations(page):
    shop = open_shop(page)
    shop.click("#new-shopper")  # cold start: no history
    shop.wait_for_selector("#recommendations[data-shopper^='new-'] > li.card")
    before = shown_ids(shop, "#recommendations")
    assert shop.locator("#recommendations .reason").count() == len(before)  # every pick says why
    results = search(shop, "camping tent")
    assert results
    shop.locator("#results > li.card h3 button").first.click()
    # The strip is redrawn for the clicked product, after the page sent the view and the click.
    shop.wait_for_selector(f"#recommendations[data-context='{results[0]}'] > li.card")
    assert "recorded" in shop.inner_text("#recs-status")
    after = shown_ids(shop, "#recommendations")
    assert after != before, after
    assert page.errors == [], page.errors


def test_the_operator_page_shows_the_split_and_rolls_back_only_with_the_token(app, page, tmp_path):
    own = app["registry"]
    canary = new_reranker(own)
    ops = page.open("/ops")
    ops.wait_for_selector(".rollout-card[data-model=reranker]")
    assert own.stable("reranker") in ops.inner_text(".rollout-card[data-model=reranker] .split")
    ops.wait_for_selector("#models tbody tr")
    assert "reranker" in ops.inner_text("#models")

    ops.select_option("#action-model", "reranker")
    ops.fill("#action-version", canary)
    ops.fill("#action-reason", "browser test")
    ops.click("button[data-action=canary]")  # no token yet
    ops.wait_for_selector("#action-result .error")
    assert "Not allowed" in ops.inner_text("#action-result") and "admin token" in ops.inner_text("#action-result")
    assert own.routing("reranker")["canary"] is None

    ops.fill("#token", app["token"])
    ops.click("#token-form button[type=submit]")
    assert ops.input_value("#token") == ""  # not left in the field
    ops.click("button[data-action=canary]")
    ops.wait_for_selector("#action-result .ok")
    assert own.routing("reranker")["canary"] == canary
    ops.wait_for_function("v => document.querySelector('.rollout-card[data-model=reranker] .split').textContent.includes(v)",
                          arg=canary)
    ops.wait_for_selector("#history-chart svg")

    ops.click("button[data-action=rollback]")
    ops.wait_for_function("() => document.querySelector('#action-result .ok') !== null && "
                          "document.querySelector('#action-result').textContent.startsWith('rollback')")
    assert own.routing("reranker")["canary"] is None
    ops.wait_for_selector(".rollout-card[data-model=reranker] .status.rolled_back")
    assert ops.evaluate("() => Object.keys(localStorage).length + Object.keys(sessionStorage).length + document.cookie.length") == 0

    # The insight dashboard, over a review posted now: analysed by the live insight, shown as text.
    product_id = next(p["product_id"] for p in catalog().values() if p["category"] == "Electronics")
    review = {"event_id": f"pages-{secrets.token_hex(4)}", "user_id": "pages-test", "type": "review", "rating": 1,
              "product_id": product_id, "text": f"{INJECTED} The battery died after one day. Terrible battery."}
    assert httpx.post(app["url"] + "/v1/events", json={"events": [review]}, timeout=30).status_code == 200
    deadline = time.monotonic() + 240  # the replica loads the review model on the first review it sees
    while time.monotonic() < deadline:
        listed = httpx.get(f"{app['url']}/v1/insights/products/{product_id}/reviews", timeout=30).json()["reviews"]
        if any(r["review_id"] == review["event_id"] for r in listed):
            break
        time.sleep(2)
    else:
        raise AssertionError(f"the review never reached the insight of {product_id}")
    ops.reload()
    ops.wait_for_selector("#aspects tbody tr")
    assert "battery" in ops.inner_text("#aspects")
    ops.fill("#review-product", product_id)
    ops.click("#reviews-form button[type=submit]")
    shown = ops.locator(f"#reviews li[data-review='{review['event_id']}']")
    shown.wait_for()
    assert INJECTED in shown.inner_text() and "battery negative" in shown.inner_text()
    assert ops.locator("main img").count() == 0 and page.dialogs == []
    assert ops.locator("#history-chart svg").count() == 0  # the reload forgot the token: history needs it again
    ops.fill("#token", app["token"])
    ops.click("#token-form button[type=submit]")
    ops.wait_for_selector("#history-chart svg")
    save_screenshot(ops, "ops.png", tmp_path)
    assert page.errors == [e for e in page.errors if "401" in e], page.errors  # only the refused call's console line


def test_markup_from_the_catalog_or_the_llm_is_shown_as_text(page):
    """A product titled with markup and an LLM answer with markup (served by route stubs: the catalog and the
    model cannot be made to say it) are shown as characters, and nothing runs."""
    shop = open_shop(page)
    hostile = {"product_id": "P00001", "title": INJECTED, "price": 1.0, "category": "<b>x</b>", "brand": INJECTED,
               "in_stock": True, "rating": 4.0, "score": 1.0, "first_phase_score": 1.0, "retrieval_score": 1.0,
               "bm25_score": 1.0}
    search_body = {"query": "x", "user_id": None, "results": [hostile], "model_versions": {}, "rollout": {},
                   "reranker_backend": "none", "retrieval_backend": "stub", "degraded": [], "budget_ms": None,
                   "personalization": None, "timings_ms": {"embed_ms": 1, "retrieve_ms": 1, "rerank_ms": 0, "total_ms": 2}}
    shop.route("**/v1/search", lambda route: route.fulfill(status=200, content_type="application/json",
                                                           body=json.dumps(search_body)))
    answer = f"Try <b>this</b> {INJECTED} <script>alert(2)</script>"
    chunks = [{"choices": [{"index": 0, "delta": {"content": answer}, "finish_reason": None}]},
              {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
               "retail": {"products": [hostile], "follow_up": INJECTED, "fallback": None, "handoff": False}}]
    stream = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    shop.route("**/v1/chat/completions", lambda route: route.fulfill(status=200, content_type="text/event-stream",
                                                                     body=stream))
    search(shop, "anything")
    assert shop.locator("#results > li.card h3").inner_text() == INJECTED
    shop.fill("#message", "hello")
    shop.press("#message", "Enter")
    turn = shop.locator(".turn.assistant").last
    turn.locator(".answer:not([aria-busy])").wait_for()
    assert turn.locator(".answer").inner_text() == answer
    assert turn.locator("button.suggestion").inner_text() == INJECTED
    assert shop.locator("main img, main script, main b").count() == 0
    assert page.dialogs == []


def test_the_fallback_and_hand_off_states_are_shown(page):
    """The assistant's fallback (the LLM not used) and its hand-off to a person, as the API marks them (a route
    stub: the real breaker and hand-off are tested in test_chat_integration)."""
    shop = open_shop(page)
    done = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            "retail": {"products": [], "follow_up": None, "handoff": True,
                       "fallback": "circuit open: the LLM failed repeatedly; retrying it in 20s"}}
    stream = "".join(f"data: {json.dumps(c)}\n\n" for c in (
        {"choices": [{"index": 0, "delta": {"content": "Returns are free within 30 days."}, "finish_reason": None}]},
        done)) + "data: [DONE]\n\n"
    shop.route("**/v1/chat/completions", lambda route: route.fulfill(status=200, content_type="text/event-stream",
                                                                     body=stream))
    shop.fill("#message", "can I return these?")
    shop.press("#message", "Enter")
    turn = shop.locator(".turn.assistant").last
    turn.locator(".notice.handoff").wait_for()
    assert "circuit open" in turn.locator(".notice.fallback").inner_text()
    assert "Talk to a person" in turn.locator(".notice.handoff").inner_text()
    assert turn.locator(".answer").inner_text() == "Returns are free within 30 days."


def test_api_errors_are_readable_messages(page):
    shop = open_shop(page)
    search(shop, "x" * 600)  # over the query's 512 characters: a real 422 from the API
    status = shop.locator("#search-status .error")
    assert "Invalid request" in status.inner_text() and "query" in status.inner_text()
    shop.route("**/v1/recommend", lambda route: route.fulfill(
        status=503, headers={"Retry-After": "7"}, content_type="application/json",
        body=json.dumps({"detail": "recommender is overloaded"})))
    shop.select_option("#shopper", index=1)
    shop.wait_for_selector("#recs-status .error")
    assert shop.inner_text("#recs-status .error") == (
        "Busy or unavailable: recommender is overloaded. Retry in 7 s.")

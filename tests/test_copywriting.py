"""Generated copy that states only catalog facts: the validator, the templates and the generate-validate loop.

The unit tests need no Ray and no LLM: what they check is the validator and the loop around it, so the
generator is a function that returns chosen texts. The integration test runs the real job (the real
chat LLM, Ray Data) on a few products and checks what it registered.
"""

from __future__ import annotations

import json
import shlex
import sys

import pytest

from retail.catalog import load_catalog
from retail.insights.copywriting import (
    SEGMENTS, CopyRequest, FactValidator, Generation, build_messages, generate_copy, load_reasons, plain,
    segment_applies, template, unsupported,
)
from retail.paths import DEMO_CATALOG


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(DEMO_CATALOG, use_ray=False)


@pytest.fixture(scope="module")
def rows(catalog) -> dict[str, dict]:
    return {r["product_id"]: {k: plain(v) for k, v in r.items()} for r in catalog.to_dict(orient="records")}


@pytest.fixture(scope="module")
def validator(catalog) -> FactValidator:
    return FactValidator.from_catalog(catalog)


@pytest.fixture(scope="module")
def shoe(rows) -> dict:
    """P00001: Urbanfoot road running shoes, coral, breathable knit mesh, lightweight, 255 g (9 oz), US 6-14."""
    product = rows["P00001"]
    assert product["brand"] == "Urbanfoot" and product["attributes"]["weight"] == "255 g (9 oz)"
    assert "waterproof" not in json.dumps(product).lower()
    return product


def kinds(claims) -> set[str]:
    return {c.kind for c in claims}


def test_a_faithful_description_passes_and_each_invented_fact_is_caught(validator, shoe):
    faithful = ("The Urbanfoot running shoes are lightweight, in coral breathable knit mesh. "
                "They weigh 255 g and come in US 6-14 with a 10 mm heel-to-toe drop.")
    assert validator.check(faithful, shoe) == []
    assert validator.check(template(CopyRequest("description", shoe)), shoe) == []
    invented = {
        "These running shoes are waterproof.": ("feature", "waterproof"),
        "The running shoes weigh 310 g.": ("number", "310 g"),
        "A road shoe from Northpeak.": ("brand", "northpeak"),
        "Comes in red breathable knit mesh.": ("colour", "red"),
        "Made of full-grain leather.": ("material", "full-grain leather"),
        "These sneakers are lightweight.": ("type", "sneakers"),
        "The best shoe you can buy, with a lifetime warranty and free shipping.": ("claim", "free shipping"),
        "Urbanfot's Ridge 3 is a great pick.": ("name", "Urbanfot"),  # a misspelt brand: in no vocabulary
        "Built with AEROFLUX foam by Zentrix.": ("name", "AEROFLUX"),
    }
    for text, (kind, what) in invented.items():
        claims = validator.check(text, shoe)
        assert (kind, what) in {(c.kind, c.text) for c in claims}, (text, claims)
        assert all(c.sentence == text for c in claims)
    # Capitalised English words, plurals, contractions and the product's own names are not invented names.
    assert validator.check("Imagine Urbanfoot's Ridge shoes. They're light. It's Coral! Runners love them.", shoe) == []
    claims = validator.check(faithful + " They are waterproof and guaranteed for life.", shoe)
    assert kinds(claims) == {"feature", "claim"}
    assert {c.sentence for c in claims} == {"They are waterproof and guaranteed for life."}


def test_numbers_must_be_the_products_own_in_any_unit(validator, shoe, rows):
    assert validator.check("It weighs 9 oz, about 255 grams.", shoe) == []  # the same weight, other units
    assert validator.check("Priced at $80.99, rated 4.7 stars.", shoe) == []
    for wrong in ("It weighs 12 oz.", "Priced at $79.99.", "A 12 mm heel-to-toe drop.", "Sizes US 5-14."):
        assert "number" in kinds(validator.check(wrong, shoe)), wrong
    watch = next(r for r in rows.values() if (r["attributes"] or {}).get("battery life") == "up to 2 days")
    assert validator.check("Its battery lasts up to 48 hours.", watch) == []  # 2 days, restated
    assert "number" in kinds(validator.check("Its battery lasts up to 3 days.", watch))
    assert "number" in kinds(validator.check("Its battery lasts two weeks.", watch))


def test_negations_stock_and_what_the_shopper_did(validator, shoe, rows):
    assert validator.check("They are not waterproof.", shoe) == []
    assert validator.check("In stock now.", shoe) == []
    sold_out = next(r for r in rows.values() if r["in_stock"] is False)
    assert "stock" in kinds(validator.check("In stock now.", sold_out))
    trail = rows["P00002"]  # Northpeak trail running shoes, slip-resistant
    reason = "Goes with the Northpeak trail running shoes you viewed: lightweight and slip-resistant."
    assert validator.check(reason, shoe, trail, event="view") == []  # the anchor's facts may be named
    assert "brand" in kinds(validator.check(reason, shoe))  # without the anchor they are not this product's
    # the anchor's brand and type name the anchor, never this product
    passed_off = validator.check("These Northpeak trail running shoes are lightweight.", shoe, trail, event="view")
    assert {c.kind for c in passed_off} == {"brand", "type"} and all("anchor" in c.text for c in passed_off)
    assert "event" in kinds(validator.check("Because you bought the Northpeak trail running shoes.", shoe, trail,
                                            event="view"))


def test_templates_validate_for_every_demo_product(validator, rows):
    products = list(rows.values())
    assert len(products) == 2400
    checked, failures = 0, []
    for i, product in enumerate(products):  # every product's description; blurbs and reasons in turn
        reason = CopyRequest("reason", product, anchor=products[i - 1], anchor_event=("view", "purchase")[i % 2]) \
            if i % 3 else CopyRequest("reason", product, segment="runner")
        for request in (CopyRequest("description", product), CopyRequest("blurb", product, segment=SEGMENTS[i % 5]),
                        reason):
            text = template(request)
            checked += 1
            assert text.strip()
            claims = unsupported({"text": text}, request, validator)
            if claims:
                failures.append((request.kind, request.product_id, text, claims))
    assert checked == 2400 * 3
    assert failures == [], failures[:5]


class FakeLLM:
    """Returns the texts given for each attempt, and records how it was called."""

    def __init__(self, *attempts: str):
        self.attempts, self.calls = attempts, []

    def __call__(self, prompts, *, max_tokens, temperature, seed):
        self.calls.append({"prompts": prompts, "max_tokens": max_tokens, "temperature": temperature, "seed": seed})
        return [Generation(self.attempts[min(len(self.calls), len(self.attempts)) - 1]) for _ in prompts]


def test_the_loop_regenerates_then_falls_back_to_the_template(validator, shoe):
    request = CopyRequest("description", shoe)
    llm = FakeLLM("Waterproof Urbanfoot running shoes.", "The best running shoes, weighing 200 g.",
                  "Northpeak made these shoes in red.")
    [record] = generate_copy([request], llm, validator, max_attempts=3, model="fake")
    assert len(llm.calls) == 3 and record["attempts"] == 3
    assert [c["temperature"] for c in llm.calls] == [0.0, 0.7, 0.9] and len({c["seed"] for c in llm.calls}) == 3
    assert record["source"] == "template" and record["text"] == template(request)
    assert record["first_try_rejected"] and record["model"] == "fake"
    assert unsupported(record, request, validator) == []


def test_the_loop_keeps_a_clean_retry_and_drops_only_the_unsupported_sentences(validator, shoe):
    request = CopyRequest("description", shoe)
    good = "These Urbanfoot running shoes are lightweight. They weigh 255 g and come in coral."
    [record] = generate_copy([request], FakeLLM("Waterproof running shoes.", good), validator, max_attempts=3)
    assert record["source"] == "llm" and record["attempts"] == 2 and record["text"] == good
    assert record["first_try_rejected"] and record["dropped"] == []

    mixed = "These Urbanfoot running shoes are lightweight. They are waterproof, with a lifetime warranty."
    [record] = generate_copy([request], FakeLLM(mixed), validator, max_attempts=2)
    assert record["source"] == "llm" and record["attempts"] == 2
    assert record["text"] == "These Urbanfoot running shoes are lightweight."
    assert record["dropped"][0]["sentence"].startswith("They are waterproof")
    assert any("waterproof" in p for p in record["dropped"][0]["problems"])
    assert unsupported(record, request, validator) == []


def test_the_loop_batches_by_kind_and_a_reason_must_be_about_the_product(validator, shoe, rows):
    trail = rows["P00002"]
    requests = [CopyRequest("description", shoe), CopyRequest("blurb", shoe, segment="runner"),
                CopyRequest("reason", shoe, anchor=trail, anchor_event="view", user_id="S1")]
    praise_the_anchor = "The Northpeak trail running shoes are a great choice."  # true, and says nothing of the shoe
    llm = FakeLLM(praise_the_anchor)
    records = generate_copy(requests, llm, validator, max_attempts=2)
    assert [len(c["prompts"]) for c in llm.calls] == [1, 1, 1, 1, 1, 1]  # one call per kind and attempt
    assert len({c["max_tokens"] for c in llm.calls}) == 3
    reason = records[2]
    assert reason["source"] == "template" and reason["user_id"] == "S1" and reason["anchor_id"] == "P00002"
    assert reason["text"].startswith("Because you viewed the Northpeak trail running shoes")
    assert "coral" in build_messages(requests[0])[1]["content"]


def test_segments_fit_products_and_reasons_load_by_shopper_and_product(rows, tmp_path):
    sock = next(r for r in rows.values() if (r["attributes"] or {}).get("type") == "running socks")
    mug = next(r for r in rows.values() if (r["attributes"] or {}).get("type") == "coffee mug")
    assert segment_applies("runner", sock, 0.5) and not segment_applies("runner", mug, 0.5)
    assert segment_applies("gift buyer", mug, 0.9) and not segment_applies("price-sensitive", mug, 0.9)
    path = tmp_path / "reasons.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"user_id": "S1", "product_id": "P1", "text": "Goes with ...", "source": "llm"},
        {"user_id": "S1", "product_id": "P2", "text": "Because you ...", "source": "template"}]))
    assert load_reasons(path) == {("S1", "P1"): "Goes with ..."}
    assert load_reasons(tmp_path / "none.jsonl") == {}


@pytest.mark.integration
def test_the_copy_job_registers_fact_checked_copy(registry):
    from cluster import local
    from retail.index import ProductIndex

    before = registry.stable("copy")
    local.submit_job([sys.executable, "-m", "training.generate_copy", "--products", "3", "--shoppers", "1",
                      "--per-shopper", "2", "--segments", shlex.quote("gift buyer"), "--max-attempts", "2"], timeout_s=1800)
    version = registry.stable("copy")
    assert version and version != before
    manifest = registry.manifest("copy", version)
    assert manifest["counts"]["description"] == 3 and manifest["counts"]["reason"] >= 1
    assert manifest["final_unsupported"] == 0 and 0 <= manifest["first_try_rejected_share"] <= 1
    directory = registry.path("copy", version)
    products = ProductIndex.load(registry.path("index", manifest["index_version"])).products
    validator = FactValidator.from_catalog(products)
    by_id = {r["product_id"]: {k: plain(v) for k, v in r.items()} for r in products.to_dict(orient="records")}
    records = [json.loads(line) for name in ("descriptions.jsonl", "blurbs.jsonl", "reasons.jsonl")
               for line in (directory / name).read_text().splitlines()]
    assert len(records) == sum(manifest["counts"].values())
    for r in records:  # checked again here, independently of the job's own check
        assert r["source"] in ("llm", "template") and r["text"] and r["model"] == "smollm2-135m"
        request = CopyRequest(r["kind"], by_id[r["product_id"]], segment=r["segment"],
                              anchor=by_id.get(r["anchor_id"]), anchor_event=r["anchor_event"], user_id=r["user_id"])
        assert unsupported(r, request, validator) == [], r

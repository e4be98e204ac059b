"""Generate the demo catalog, labelled shopper queries and policy passages.

The generated files ship in ``data/demo`` so the project runs with nothing
else; this module is how they were made (``python -m retail.demo_data``) and
how benchmarks make larger catalogs of the same shape.

Relevance labels are derived from the structured attributes, the way a
retailer would grade a query against its catalog:

* 3 - the product type the shopper asked for, every attribute they named
      matches and the price is within their budget;
* 2 - the right type with one named attribute (or the budget) missed;
* 1 - the right type, but more than one named attribute missed;
* 0 - anything else (not stored).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20261122

# category -> brands, product types (with shopper synonyms and a price band)
# and the attribute dimensions products of that category vary in.
CATEGORIES: dict[str, dict] = {
    "Footwear": {
        "brands": ["Trailborn", "Strideline", "Northpeak", "Urbanfoot", "Cadence"],
        "types": {
            "running shoes": (["running shoes", "runners", "jogging shoes"], 55, 190),
            "hiking boots": (["hiking boots", "trail boots", "walking boots"], 70, 240),
            "sneakers": (["sneakers", "trainers", "casual shoes"], 40, 150),
            "sandals": (["sandals", "summer sandals", "slides"], 20, 90),
            "loafers": (["loafers", "slip-on shoes", "dress loafers"], 50, 180),
            "rain boots": (["rain boots", "wellies", "rubber boots"], 30, 110),
        },
        "attrs": {
            "gender": ["men's", "women's", "kids'"],
            "color": ["black", "white", "navy", "grey", "brown", "red", "olive", "tan"],
            "material": ["leather", "mesh", "suede", "canvas", "synthetic"],
            "feature": ["waterproof", "lightweight", "slip-resistant", "cushioned", "wide-fit"],
        },
    },
    "Apparel": {
        "brands": ["Everthread", "Loomhouse", "Kindred Co.", "Basecamp Wear", "Marlow"],
        "types": {
            "t-shirt": (["t-shirt", "tee", "crew neck tee"], 12, 45),
            "hoodie": (["hoodie", "hooded sweatshirt", "pullover hoodie"], 30, 90),
            "jeans": (["jeans", "denim pants", "denim jeans"], 35, 130),
            "dress": (["dress", "day dress", "midi dress"], 35, 160),
            "leggings": (["leggings", "yoga pants", "workout tights"], 20, 80),
            "polo shirt": (["polo shirt", "polo", "golf shirt"], 20, 70),
            "chinos": (["chinos", "khakis", "chino trousers"], 30, 95),
        },
        "attrs": {
            "gender": ["men's", "women's", "kids'"],
            "color": ["black", "white", "navy", "grey", "green", "burgundy", "beige", "blue"],
            "material": ["cotton", "organic cotton", "linen", "polyester", "merino wool"],
            "fit": ["slim fit", "relaxed fit", "regular fit"],
        },
    },
    "Outerwear": {
        "brands": ["Northpeak", "Stormline", "Fjordhaus", "Basecamp Wear"],
        "types": {
            "rain jacket": (["rain jacket", "raincoat", "waterproof shell"], 60, 220),
            "down parka": (["down parka", "puffer coat", "winter parka"], 120, 450),
            "fleece jacket": (["fleece jacket", "fleece", "zip fleece"], 35, 120),
            "windbreaker": (["windbreaker", "wind jacket", "running jacket"], 40, 130),
            "wool coat": (["wool coat", "overcoat", "peacoat"], 110, 380),
        },
        "attrs": {
            "gender": ["men's", "women's", "kids'"],
            "color": ["black", "navy", "olive", "red", "grey", "camel", "yellow"],
            "feature": ["packable", "insulated", "breathable", "hooded", "recycled"],
        },
    },
    "Electronics": {
        "brands": ["Sonique", "Voltra", "Auralis", "Pulsewave", "Kestrel Audio"],
        "types": {
            "wireless earbuds": (["wireless earbuds", "bluetooth earphones", "true wireless earbuds"], 25, 250),
            "over-ear headphones": (["over-ear headphones", "headphones", "studio headphones"], 45, 400),
            "bluetooth speaker": (["bluetooth speaker", "portable speaker", "wireless speaker"], 25, 300),
            "smartwatch": (["smartwatch", "smart watch", "gps watch"], 90, 450),
            "fitness tracker": (["fitness tracker", "activity tracker", "step counter band"], 30, 160),
            "portable charger": (["portable charger", "power bank", "battery pack"], 15, 90),
        },
        "attrs": {
            "color": ["black", "white", "silver", "blue", "rose gold", "graphite"],
            "feature": ["noise cancelling", "waterproof", "long battery life", "fast charging", "hi-res audio"],
            "connectivity": ["bluetooth 5.3", "usb-c", "wi-fi"],
        },
    },
    "Computers": {
        "brands": ["Quantix", "Lumora", "Bytecraft", "Novatek"],
        "types": {
            "laptop": (["laptop", "notebook computer", "ultrabook"], 450, 2400),
            "monitor": (["monitor", "computer screen", "display"], 120, 900),
            "mechanical keyboard": (["mechanical keyboard", "keyboard", "gaming keyboard"], 40, 220),
            "wireless mouse": (["wireless mouse", "mouse", "ergonomic mouse"], 15, 120),
            "webcam": (["webcam", "web camera", "streaming camera"], 30, 200),
            "usb-c hub": (["usb-c hub", "docking station", "usb hub"], 20, 180),
        },
        "attrs": {
            "color": ["black", "silver", "white", "space grey"],
            "feature": ["4k", "ergonomic", "backlit", "compact", "gaming"],
            "size": ["13-inch", "15-inch", "24-inch", "27-inch", "full-size"],
        },
    },
    "Home & Kitchen": {
        "brands": ["Hearthwise", "Copperleaf", "Kitchara", "Brewmaster", "Oakhollow"],
        "types": {
            "coffee maker": (["coffee maker", "coffee machine", "drip coffee brewer"], 30, 350),
            "blender": (["blender", "smoothie blender", "countertop blender"], 35, 300),
            "air fryer": (["air fryer", "airfryer", "hot air fryer"], 50, 250),
            "chef's knife": (["chef's knife", "kitchen knife", "cooking knife"], 25, 200),
            "cast iron skillet": (["cast iron skillet", "cast iron pan", "frying pan"], 20, 120),
            "electric kettle": (["electric kettle", "kettle", "tea kettle"], 20, 130),
        },
        "attrs": {
            "color": ["black", "stainless steel", "white", "red", "sage green", "copper"],
            "feature": ["programmable", "dishwasher-safe", "compact", "large capacity", "quiet"],
            "material": ["stainless steel", "glass", "cast iron", "ceramic", "carbon steel"],
        },
    },
    "Furniture": {
        "brands": ["Oakhollow", "Nordvik", "Loftline", "Sitwell"],
        "types": {
            "office chair": (["office chair", "desk chair", "ergonomic chair"], 90, 700),
            "standing desk": (["standing desk", "sit-stand desk", "height adjustable desk"], 200, 900),
            "bookshelf": (["bookshelf", "bookcase", "shelving unit"], 60, 400),
            "sofa": (["sofa", "couch", "loveseat"], 400, 2200),
            "bed frame": (["bed frame", "platform bed", "bed base"], 150, 1100),
        },
        "attrs": {
            "color": ["walnut", "oak", "white", "black", "grey", "navy"],
            "material": ["solid wood", "metal", "velvet", "linen fabric", "leather"],
            "size": ["small", "queen", "king", "large", "compact"],
        },
    },
    "Beauty": {
        "brands": ["Lumiere Skin", "Verdant", "Pure Botanica", "Dermalux"],
        "types": {
            "moisturizer": (["moisturizer", "face cream", "moisturising lotion"], 12, 90),
            "shampoo": (["shampoo", "hair wash", "clarifying shampoo"], 8, 45),
            "sunscreen": (["sunscreen", "sun cream", "spf lotion"], 10, 50),
            "lipstick": (["lipstick", "lip colour", "matte lipstick"], 10, 45),
            "face serum": (["face serum", "serum", "vitamin c serum"], 15, 110),
        },
        "attrs": {
            "skin type": ["for dry skin", "for oily skin", "for sensitive skin", "for all skin types"],
            "feature": ["fragrance-free", "vegan", "cruelty-free", "hypoallergenic", "spf 50"],
            "scent": ["unscented", "lavender", "citrus", "rose", "coconut"],
        },
    },
    "Sports & Outdoors": {
        "brands": ["Trailborn", "Summit Supply", "Ridgeway", "Peakform"],
        "types": {
            "yoga mat": (["yoga mat", "exercise mat", "pilates mat"], 18, 120),
            "camping tent": (["camping tent", "tent", "backpacking tent"], 60, 600),
            "sleeping bag": (["sleeping bag", "camping sleeping bag", "mummy bag"], 35, 300),
            "dumbbells": (["dumbbells", "hand weights", "adjustable dumbbells"], 20, 400),
            "water bottle": (["water bottle", "insulated bottle", "drinks bottle"], 10, 50),
            "hiking backpack": (["hiking backpack", "daypack", "trekking pack"], 40, 280),
        },
        "attrs": {
            "color": ["black", "blue", "green", "orange", "purple", "grey"],
            "feature": ["lightweight", "non-slip", "insulated", "waterproof", "2-person", "4-season"],
            "material": ["natural rubber", "ripstop nylon", "stainless steel", "tpe", "cast iron"],
        },
    },
    "Toys & Games": {
        "brands": ["Brightbrick", "Playwell", "Tinker Town", "Jolly Games"],
        "types": {
            "building blocks set": (["building blocks set", "construction set", "brick set"], 15, 160),
            "board game": (["board game", "family game", "strategy game"], 15, 80),
            "jigsaw puzzle": (["jigsaw puzzle", "puzzle", "1000 piece puzzle"], 10, 45),
            "plush toy": (["plush toy", "stuffed animal", "soft toy"], 8, 50),
            "remote control car": (["remote control car", "rc car", "rc truck"], 25, 180),
        },
        "attrs": {
            "age": ["ages 3+", "ages 6+", "ages 8+", "ages 12+", "adults"],
            "feature": ["educational", "stem", "rechargeable", "cooperative", "glow-in-the-dark"],
            "theme": ["space", "dinosaur", "fantasy", "animals", "vehicles"],
        },
    },
    "Grocery": {
        "brands": ["Harvest Lane", "Green Valley", "Cocoa & Co.", "Roastery 88"],
        "types": {
            "coffee beans": (["coffee beans", "whole bean coffee", "espresso beans"], 9, 40),
            "green tea": (["green tea", "matcha", "sencha tea"], 5, 30),
            "olive oil": (["olive oil", "extra virgin olive oil", "cooking oil"], 8, 35),
            "dark chocolate": (["dark chocolate", "chocolate bar", "cacao bar"], 3, 15),
            "protein bars": (["protein bars", "energy bars", "snack bars"], 12, 40),
        },
        "attrs": {
            "feature": ["organic", "fair trade", "gluten-free", "decaf", "sugar-free", "vegan"],
            "flavor": ["hazelnut", "sea salt", "mint", "vanilla", "peanut butter", "original"],
            "size": ["single pack", "family size", "12-pack", "1 kg bag"],
        },
    },
    "Pet Supplies": {
        "brands": ["Happy Paws", "Whisker Works", "Tailwind Pet", "Barkley"],
        "types": {
            "dog food": (["dog food", "dry dog food", "kibble"], 15, 90),
            "cat litter": (["cat litter", "clumping litter", "kitty litter"], 8, 40),
            "dog bed": (["dog bed", "pet bed", "orthopedic dog bed"], 25, 160),
            "cat tree": (["cat tree", "cat tower", "cat scratcher tower"], 40, 220),
            "chew toy": (["chew toy", "dog toy", "durable dog toy"], 5, 30),
        },
        "attrs": {
            "pet size": ["for small dogs", "for large dogs", "for puppies", "for cats", "for senior pets"],
            "feature": ["grain-free", "unscented", "washable", "durable", "orthopedic"],
            "color": ["grey", "brown", "beige", "blue", "pink"],
        },
    },
    "Baby": {
        "brands": ["Little Nest", "Bloom Baby", "Cubby", "Tinytoes"],
        "types": {
            "stroller": (["stroller", "pushchair", "pram"], 120, 900),
            "car seat": (["car seat", "infant car seat", "convertible car seat"], 80, 450),
            "diapers": (["diapers", "nappies", "disposable diapers"], 15, 60),
            "baby monitor": (["baby monitor", "video baby monitor", "nursery monitor"], 40, 300),
        },
        "attrs": {
            "feature": ["lightweight", "foldable", "hypoallergenic", "wi-fi", "travel system"],
            "color": ["black", "grey", "navy", "sand", "sage"],
            "age": ["newborn", "0-12 months", "toddler", "up to 4 years"],
        },
    },
}

DESCRIPTION_OPENERS = [
    "Designed for everyday use, this {type} combines {a1} with {a2}.",
    "Our best-selling {type}: {a1}, {a2} and built to last.",
    "A {a1} {type} that shoppers love for its {a2} design.",
    "Meet the {brand} {type}, made with {a1} and {a2} in mind.",
]
DESCRIPTION_CLOSERS = [
    "Backed by our standard warranty.",
    "Free shipping on orders over $50.",
    "Rated highly by customers for quality and value.",
    "Easy 30-day returns.",
    "Ships in recyclable packaging.",
]

QUERY_TEMPLATES_ONE = [
    "{a} {t}",
    "{t} {a}",
    "looking for {a} {t}",
    "best {a} {t}",
    "need a {t} that is {a}",
]
QUERY_TEMPLATES_TWO = [
    "{a} {b} {t}",
    "{a} {t} {b}",
    "{t} {a} and {b}",
    "i want {a} {t}, {b}",
    "{b} {a} {t}",
]
BUDGET_SUFFIXES = ["under ${p}", "below ${p}", "for less than ${p}", "max ${p}"]

POLICIES = [
    ("returns", "Return window", "Most items can be returned within 30 days of delivery for a full refund to the original payment method. Items must be unused, with tags and original packaging."),
    ("returns", "Electronics and computers returns", "Electronics and computers can be returned within 15 days of delivery. Opened items are inspected and may carry a 10% restocking fee if accessories are missing."),
    ("returns", "Final sale and hygiene items", "Clearance items marked final sale, opened beauty products, diapers and grocery items cannot be returned unless they arrive damaged or defective."),
    ("returns", "How to start a return", "Start a return from Orders in your account or with the assistant. Print the prepaid label and drop the parcel at any carrier point. Refunds post 3-5 business days after we receive the item."),
    ("shipping", "Standard and express shipping", "Standard shipping takes 3-5 business days and is free on orders over $50; otherwise it costs $5.99. Express shipping (1-2 business days) costs $14.99."),
    ("shipping", "Large item delivery", "Furniture and other large items ship by freight within 7-10 business days. The carrier calls to book a delivery window; room-of-choice delivery costs $49."),
    ("shipping", "International shipping", "We ship to Canada, the UK and the EU. Duties and taxes are calculated at checkout; international orders arrive in 7-14 business days."),
    ("shipping", "Order tracking and cancellation", "Orders can be cancelled free of charge until they ship, usually within 2 hours. Tracking numbers are emailed when the parcel leaves the warehouse."),
    ("warranty", "Standard warranty", "Every product carries a 1-year warranty against manufacturing defects. Keep your order number; the warranty does not cover wear and tear or accidental damage."),
    ("warranty", "Electronics extended warranty", "Electronics and computers carry a 2-year warranty. An optional protection plan extends cover to 4 years and includes accidental damage."),
    ("payment", "Payment methods", "We accept Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and store gift cards. Cards are charged when the order ships."),
    ("payment", "Buy now, pay later", "Orders over $100 can be split into 4 interest-free payments at checkout, subject to approval by our payment partner."),
    ("payment", "Price match", "If you find a lower price on an identical in-stock item at a major retailer within 14 days of purchase, we refund the difference."),
    ("payment", "Gift cards", "Gift cards never expire and can be used online and in store. Lost gift cards can be replaced with proof of purchase."),
]


@dataclass
class _Product:
    product_id: str
    category: str
    ptype: str
    brand: str
    attributes: dict[str, str]
    price: float

    def title(self) -> str:
        attrs = self.attributes
        lead = [attrs[k] for k in ("gender", "feature", "material") if k in attrs]
        tail = [attrs[k] for k in attrs if k not in ("gender", "feature", "material")]
        title = f"{self.brand} {' '.join(lead)} {self.ptype}".replace("  ", " ")
        return f"{title}, {', '.join(tail)}" if tail else title


def _make_products(rng: random.Random, n_products: int) -> list[_Product]:
    type_slots = [(cat, t) for cat, spec in CATEGORIES.items() for t in spec["types"]]
    products = []
    for i in range(n_products):
        category, ptype = type_slots[i % len(type_slots)] if i < len(type_slots) else rng.choice(type_slots)
        spec = CATEGORIES[category]
        _, low, high = spec["types"][ptype]
        attributes = {dim: rng.choice(values) for dim, values in spec["attrs"].items()}
        price = round(rng.uniform(low, high), 0) - 0.01
        products.append(_Product(f"P{i + 1:05d}", category, ptype, rng.choice(spec["brands"]), attributes, price))
    return products


def _product_row(rng: random.Random, p: _Product) -> dict:
    a1, a2 = rng.sample(list(p.attributes.values()), 2)
    description = " ".join(
        [
            rng.choice(DESCRIPTION_OPENERS).format(type=p.ptype, a1=a1, a2=a2, brand=p.brand),
            "Details: " + "; ".join(f"{k}: {v}" for k, v in p.attributes.items()) + ".",
            rng.choice(DESCRIPTION_CLOSERS),
        ]
    )
    return {
        "product_id": p.product_id,
        "title": p.title(),
        "description": description,
        "category": p.category,
        "brand": p.brand,
        "price": p.price,
        "attributes": {"type": p.ptype, **p.attributes},
        "in_stock": rng.random() < 0.85,
        "rating": round(rng.triangular(2.5, 5.0, 4.4), 1),
        "review_count": int(rng.paretovariate(1.2) * 5),
    }


def _grade(p: _Product, ptype: str, wanted: dict[str, str], budget: float | None) -> int:
    if p.ptype != ptype:
        return 0
    misses = sum(p.attributes.get(k) != v for k, v in wanted.items())
    misses += int(budget is not None and p.price > budget)
    return 3 if misses == 0 else 2 if misses == 1 else 1


def _make_queries(rng: random.Random, products: list[_Product], n_queries: int) -> list[dict]:
    seen: set[str] = set()
    queries = []
    while len(queries) < n_queries:
        seed = rng.choice(products)
        synonyms, _, high = CATEGORIES[seed.category]["types"][seed.ptype]
        dims = rng.sample(list(seed.attributes), k=rng.choice([1, 2, 2]))
        wanted = {d: seed.attributes[d] for d in dims}
        values = [wanted[d] for d in dims]
        template = rng.choice(QUERY_TEMPLATES_ONE if len(values) == 1 else QUERY_TEMPLATES_TWO)
        text = template.format(t=rng.choice(synonyms), a=values[0], b=values[-1])
        budget = None
        if rng.random() < 0.2:
            budget = float(int(max(seed.price + 1, high * rng.uniform(0.5, 0.9)) / 10 + 1) * 10)
            text += " " + rng.choice(BUDGET_SUFFIXES).format(p=int(budget))
        text = text.replace("  ", " ").strip()
        if text in seen:
            continue
        seen.add(text)
        relevance = {p.product_id: g for p in products if (g := _grade(p, seed.ptype, wanted, budget)) > 0}
        queries.append({"query": text, "relevance": relevance})
    rng.shuffle(queries)
    n_train, n_dev = int(0.6 * n_queries), int(0.2 * n_queries)
    for i, q in enumerate(queries):
        q["query_id"] = f"Q{i + 1:04d}"
        q["split"] = "train" if i < n_train else "dev" if i < n_train + n_dev else "test"
    return [{"query_id": q["query_id"], "split": q["split"], "query": q["query"], "relevance": q["relevance"]} for q in queries]


def generate_catalog(n_products: int, seed: int = SEED) -> list[dict]:
    """Catalog rows of the demo schema; deterministic for a given seed."""
    rng = random.Random(seed)
    return [_product_row(rng, p) for p in _make_products(rng, n_products)]


def generate(out_dir: Path, n_products: int = 2400, n_queries: int = 420, seed: int = SEED) -> None:
    rng = random.Random(seed)
    products = _make_products(rng, n_products)
    rows = [_product_row(rng, p) for p in products]
    queries = _make_queries(rng, products, n_queries)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out_dir / "catalog.jsonl", rows)
    _write_jsonl(out_dir / "queries.jsonl", queries)
    _write_jsonl(
        out_dir / "policies.jsonl",
        [{"policy_id": f"POL{i + 1:02d}", "topic": t, "title": h, "text": x} for i, (t, h, x) in enumerate(POLICIES)],
    )


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "demo")
    parser.add_argument("--products", type=int, default=2400)
    parser.add_argument("--queries", type=int, default=420)
    args = parser.parse_args()
    generate(args.out, args.products, args.queries)
    print(f"wrote demo data to {args.out}")

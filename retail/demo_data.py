"""Generate the demo catalog, labelled shopper queries and policy passages.

The generated files ship in ``data/demo`` so the project runs with nothing
else; this module is how they were made (``python -m retail.demo_data``) and
how benchmarks make larger catalogs of the same shape.

The catalog imitates a marketplace feed rather than one template: product
lines (a brand's model in several colours, sizes or pack counts) are listed
by sellers whose title habits differ (short plain titles, keyword-stuffed
titles, spec-first electronics titles, brand last or missing, odd casing);
titles carry only some of the attributes, and descriptions add specs, use
cases, materials and care that the title leaves out.

Queries are written the ways shoppers type them: keywords, attribute lists,
words the catalog never uses ("trainers", "nappies"), typos, brand and model
numbers, budgets, specs, natural-language needs ("something to keep coffee
hot") and conversational requests. Labels come from the structured truth of
each product (type, attributes, specs, price), never from its text:

* 3 - a type the shopper asked for, meeting every stated requirement;
* 2 - the right type with one requirement missed, or a close substitute type
      (trail running shoes for "running shoes") meeting them all;
* 1 - a weak match: the right type missing several requirements or an
      essential one (a non-dinosaur toy for a dinosaur gift), a substitute
      missing one, or a complement listed by the need table;
* 0 - anything else, including products that merely share words with the
      query ("running socks" for "running shoes"); not stored.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

SEED = 20261122

# --------------------------------------------------------------------------
# Vocabularies shared by the catalog and the queries
# --------------------------------------------------------------------------

# seller colour name -> colour family a shopper would ask for
COLOUR_FAMILY: dict[str, str] = {
    "Black": "black", "Jet Black": "black", "Midnight Black": "black", "Triple Black": "black", "Onyx": "black",
    "Matte Black": "black", "White": "white", "Cloud White": "white", "Ivory": "white", "Chalk": "white",
    "Off-White": "white", "Cream": "white", "Grey": "grey", "Heather Grey": "grey", "Charcoal": "grey",
    "Graphite": "grey", "Slate Grey": "grey", "Space Grey": "grey", "Light Grey": "grey", "Stone": "grey",
    "Blue": "blue", "Navy": "blue", "Navy Blue": "blue", "Ocean Blue": "blue", "Sky Blue": "blue", "Cobalt": "blue",
    "Royal Blue": "blue", "Denim Blue": "blue", "Powder Blue": "blue", "Teal": "blue", "Dark Wash": "blue",
    "Medium Wash": "blue", "Light Wash": "blue", "Red": "red", "Crimson": "red", "Burgundy": "red",
    "Cherry Red": "red", "Ruby Red": "red", "Classic Red": "red", "Brick": "red", "Green": "green", "Olive": "green",
    "Forest Green": "green", "Sage": "green", "Sage Green": "green", "Mint": "green", "Pink": "pink", "Blush": "pink",
    "Dusty Rose": "pink", "Hot Pink": "pink", "Berry": "pink", "Coral": "pink", "Rose Gold": "rose gold",
    "Gold": "gold", "Silver": "silver", "Stainless Steel": "silver", "Brushed Steel": "silver", "Copper": "copper",
    "Beige": "beige", "Sand": "beige", "Khaki": "beige", "Oatmeal": "beige", "Nude": "beige", "Taupe": "beige",
    "Brown": "brown", "Tan": "brown", "Camel": "brown", "Chocolate": "brown", "Cognac": "brown", "Walnut": "brown",
    "Espresso": "brown", "Natural Oak": "natural", "Light Oak": "natural", "Natural": "natural", "Orange": "orange",
    "Burnt Orange": "orange", "Rust": "orange", "Yellow": "yellow", "Mustard": "yellow", "Hi-Vis Yellow": "yellow",
    "Purple": "purple", "Lavender": "purple", "Plum": "purple", "Mauve": "purple", "Multicolor": "multicolor",
    "Clear": "clear", "Speckled Cream": "white", "Terracotta": "orange",
}
# words in a colour name that shoppers use on their own ("navy hoodie")
COLOUR_WORDS = {"navy", "olive", "charcoal", "burgundy", "teal", "khaki", "camel", "tan", "walnut", "oak", "sage",
                "lavender", "cream", "ivory", "mint", "coral", "mustard", "plum", "cognac", "graphite", "rose gold"}

# feature -> (title forms, query forms, description sentences); "|" separates variants
FEATURES: dict[str, tuple[str, str, str]] = {
    "waterproof": ("Waterproof", "waterproof|water proof|rainproof|waterproof",
                   "Fully waterproof, so rain and puddles stay outside.|Waterproof construction keeps everything dry in a downpour."),
    "water-resistant": ("Water Resistant|Water-Repellent", "water resistant|water repellent|showerproof",
                        "A water-repellent finish sheds light rain.|Water resistant enough for drizzle and splashes."),
    "breathable": ("Breathable|Breathable Mesh|Airflow", "breathable|airy|cool",
                   "Breathable fabric lets heat escape on warm days.|Open ventilation zones move air and keep you cool."),
    "quick-dry": ("Quick Dry|Quick-Dry|Fast Drying", "quick dry|quick-dry|fast drying|dries fast",
                  "Dries in minutes after a sweaty session or a rinse in the sink.|Quick-drying fabric never stays soggy."),
    "moisture-wicking": ("Moisture Wicking|Sweat-Wicking|Moisture-Wicking", "moisture wicking|sweat wicking|wicking|sweat-wicking",
                         "Wicks sweat away from the skin so it doesn't cling.|Moisture-wicking knit moves sweat to the surface."),
    "cushioned": ("Cushioned|Max Cushion|Extra Cushioning", "cushioned|padded|comfy|comfortable",
                  "Plush foam cushioning softens every landing.|Generous cushioning for long days on your feet."),
    "lightweight": ("Lightweight|Ultralight|Ultra Lightweight", "lightweight|light|light weight",
                    "Barely-there weight you'll forget you're wearing.|Lightweight build that is easy to carry."),
    "reflective": ("Reflective|Reflective Details", "reflective|high visibility|hi vis|reflective",
                   "Reflective details help drivers see you after dark."),
    "insulated": ("Insulated|Thermal|Warm Insulated", "insulated|warm|thermal",
                  "Insulation traps heat on cold days.|Double-wall insulation holds temperature for hours."),
    "slip-resistant": ("Slip Resistant|Non-Slip|Anti-Slip", "non slip|slip resistant|anti slip|grippy",
                       "A slip-resistant outsole grips wet and icy surfaces."),
    "wide fit": ("Wide Fit|Wide Width", "wide fit|wide|wide width|for wide feet",
                 "Cut with a wider forefoot for room to splay."),
    "noise cancelling": ("Active Noise Cancelling|ANC|Noise Cancelling", "noise cancelling|noise canceling|anc|noise cancellation",
                         "Active noise cancelling tunes out engines, traffic and office chatter."),
    "heart rate monitoring": ("Heart Rate Monitor|24/7 Heart Rate|Heart Rate Tracking", "heart rate|heart rate monitor|hr tracking|tracks heart rate",
                              "Tracks your heart rate around the clock with an optical sensor.|Continuous heart-rate tracking, with alerts for unusually high or low readings."),
    "sleep tracking": ("Sleep Tracking|Sleep Monitor", "sleep tracking|tracks sleep|sleep tracker",
                       "Sleep tracking scores each night and shows time in light, deep and REM sleep."),
    "gps": ("Built-in GPS|GPS", "gps|built in gps",
            "Built-in GPS maps runs and rides without your phone."),
    "blood oxygen": ("SpO2|Blood Oxygen", "spo2|blood oxygen|oxygen sensor", "Measures blood oxygen (SpO2) on demand and overnight."),
    "fast charging": ("Fast Charging|Quick Charge", "fast charging|fast charge|quick charge",
                      "Fast charging tops up the battery in minutes."),
    "wireless charging": ("Wireless Charging", "wireless charging|qi charging", "Charges wirelessly on any Qi pad."),
    "5g": ("5G", "5g", "5G connectivity for fast downloads on the go."),
    "touchscreen": ("Touchscreen|Touch Screen Compatible", "touchscreen|touch screen|for texting|texting",
                    "Conductive fingertips work with phone touchscreens."),
    "packable": ("Packable|Packs Into Pocket", "packable|packs small|folds into pocket",
                 "Packs into its own pocket for travel."),
    "hooded": ("Hooded|with Hood", "with hood|hooded", "An adjustable hood with a stiffened brim."),
    "organic": ("Organic|USDA Organic", "organic", "Certified organic."),
    "fair trade": ("Fair Trade|Fair Trade Certified", "fair trade|ethically sourced", "Fair Trade Certified sourcing."),
    "decaf": ("Decaf|Decaffeinated", "decaf|decaffeinated|caffeine free|no caffeine",
              "Swiss Water decaffeinated: 99.9% caffeine free."),
    "gluten-free": ("Gluten Free|Gluten-Free", "gluten free|gluten-free|no gluten|celiac friendly", "Certified gluten-free."),
    "vegan": ("Vegan|Plant-Based", "vegan|plant based", "100% vegan: no animal-derived ingredients."),
    "fragrance-free": ("Fragrance Free|Fragrance-Free|Unscented", "fragrance free|unscented|no fragrance|no perfume",
                       "Fragrance-free formula for easily irritated skin."),
    "orthopedic": ("Orthopedic|Memory Foam Orthopedic", "orthopedic|orthopaedic|for joint pain|for arthritis",
                   "Orthopedic foam base relieves pressure on hips and joints."),
    "grain-free": ("Grain Free|Grain-Free", "grain free|grain-free|no grain", "Grain-free recipe with no corn, wheat or soy."),
    "odor control": ("Odor Control|Odor Eliminating", "odor control|no smell|odour control|odor eliminating",
                     "Activated charcoal locks away odors for up to 14 days."),
    "clumping": ("Clumping|Hard Clumping", "clumping", "Forms tight clumps for easy scooping."),
    "lumbar support": ("Lumbar Support|Ergonomic Lumbar Support", "lumbar support|for back pain|back support",
                       "Adjustable lumbar support keeps your lower back supported through long workdays."),
    "ergonomic": ("Ergonomic", "ergonomic", "An ergonomic shape reduces strain on wrists and shoulders."),
    "rechargeable": ("Rechargeable|USB Rechargeable", "rechargeable", "Rechargeable over USB-C; no disposable batteries."),
    "foldable": ("Foldable|Folding", "foldable|folding|folds flat", "Folds flat for storage and travel."),
    "one-hand fold": ("One-Hand Fold|One Hand Fold", "one hand fold|folds with one hand|easy fold", "Folds with one hand while you hold the baby."),
    "compact fold": ("Compact Fold|Cabin Size", "compact fold|folds small|fits in overhead bin",
                     "Folds small enough for a car trunk or an overhead bin."),
    "wi-fi": ("WiFi|Wi-Fi|Smart WiFi", "wifi|wi-fi|app|phone app", "Connects over Wi-Fi so you can watch from the app anywhere."),
    "night vision": ("Night Vision", "night vision", "Infrared night vision for a clear picture in a dark room."),
    "hypoallergenic": ("Hypoallergenic", "hypoallergenic|for sensitive skin", "Hypoallergenic and dermatologist tested."),
    "dishwasher-safe": ("Dishwasher Safe|Dishwasher-Safe", "dishwasher safe|dishwasher-safe", "Removable parts are dishwasher safe."),
    "programmable": ("Programmable|24H Programmable", "programmable|with timer", "Program it the night before and wake up to it ready."),
    "keep warm": ("Keep Warm|Auto Keep Warm", "keep warm|keeps warm", "A keep-warm function holds temperature after brewing."),
    "temperature control": ("Temperature Control|Variable Temperature", "temperature control|variable temp|adjustable temperature",
                            "Presets for green tea, oolong, pour-over coffee and a full boil."),
    "leak-proof": ("Leak Proof|Leakproof|Spill Proof", "leak proof|leakproof|spill proof|no leaks", "A leak-proof lid you can toss in a bag."),
    "milk frother": ("Milk Frother|with Steam Wand", "milk frother|steam wand|frother",
                     "A steam wand froths milk for lattes and cappuccinos."),
    "upf": ("UPF", "upf|sun protection|uv protection", "Rated UPF to block UV."),
    "stem": ("STEM|Educational STEM", "stem|educational|learning", "A STEM toy that teaches while they play."),
    "memory foam": ("Memory Foam", "memory foam", "Memory foam molds to your shape."),
    "backlit keyboard": ("Backlit Keyboard", "backlit keyboard", "A backlit keyboard for late-night work."),
    "touchscreen display": ("Touchscreen|2-in-1 Touch", "touchscreen|touch screen|2 in 1", "The touch display folds back into tablet mode."),
    "dedicated graphics": ("Gaming|Dedicated Graphics|RTX-Class GPU", "gaming|for gaming|dedicated graphics|graphics card",
                           "Dedicated graphics handle modern games and GPU video exports."),
    "dual monitor": ("Dual Monitor|Dual 4K Display", "dual monitor|two monitors|2 screens", "Drives two external monitors at once."),
    "height adjustable": ("Height Adjustable|Height-Adjustable Stand", "height adjustable|adjustable stand", "The stand tilts, swivels and raises."),
    "anti-colic": ("Anti-Colic", "anti colic|anti-colic|for colic|for gassy babies", "An anti-colic vent reduces swallowed air."),
    "durable": ("Durable|Tough|Indestructible", "durable|tough|indestructible|for aggressive chewers|heavy duty",
                "Built for power chewers."),
    "squeaky": ("Squeaky|with Squeaker", "squeaky|squeaker", "A squeaker inside keeps them interested."),
    "memory presets": ("Memory Presets|4 Memory Presets", "memory presets|memory settings", "Save your sitting and standing heights to presets."),
    "sulfate-free": ("Sulfate Free|Sulfate-Free", "sulfate free|sulphate free|no sulfates", "Sulfate-free and gentle enough for daily use."),
    "non-comedogenic": ("Non-Comedogenic|Oil-Free", "non comedogenic|oil free|won't clog pores|doesnt clog pores",
                        "Non-comedogenic: won't clog pores."),
    "reef-safe": ("Reef Safe|Reef Friendly", "reef safe|reef friendly", "Reef-friendly: no oxybenzone or octinoxate."),
    "collapsible": ("Collapsible|Foldable", "collapsible|folding", "Collapses to fit inside a daypack."),
    "pre-seasoned": ("Pre-Seasoned", "pre seasoned|preseasoned", "Pre-seasoned with vegetable oil and ready to cook."),
    "induction compatible": ("Induction Compatible|Induction Ready", "induction|for induction|induction compatible",
                             "Works on gas, electric and induction hobs."),
}

# gender -> (title forms, query forms, conversational forms)
GENDER_FORMS = {
    "men": ("Men's|Mens|Men|for Men", "men|mens|men's|for men|male|guys", "for my husband|for my dad|for my boyfriend|for my brother"),
    "women": ("Women's|Womens|Women|for Women|Ladies", "women|womens|women's|ladies|for women|womans|female",
              "for my wife|for my mom|for my girlfriend|for my sister"),
    "kids": ("Kids'|Kids|Boys & Girls|Youth|Kids Unisex", "kids|kid|for kids|boys|girls|childrens|youth", "for my son|for my daughter|for my kid"),
    "unisex": ("Unisex|Unisex Adult|", "unisex", ""),
}

SIZE_SCHEMES = {
    "shoe_men": ["6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11", "11.5", "12", "13", "14"],
    "shoe_women": ["5", "5.5", "6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11", "12"],
    "shoe_kids": ["10", "11", "12", "13", "1", "2", "3", "4", "5", "6"],
    "apparel": ["XS", "S", "M", "L", "XL", "XXL", "3XL"],
    "apparel_kids": ["4", "5", "6", "7", "8", "10", "12", "14", "16"],
    "waist": ["26", "27", "28", "29", "30", "31", "32", "33", "34", "36", "38", "40", "42"],
}
APPAREL_SIZE_WORDS = {"XS": "xs|extra small", "S": "s|small|size s", "M": "m|medium|size m|size medium", "L": "l|large|size l",
                      "XL": "xl|extra large|size xl", "XXL": "xxl|2xl|size xxl", "3XL": "3xl|xxxl"}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|")] if text else []


@dataclass
class PType:
    """A product type: how sellers name it, how shoppers name it, and what varies."""

    name: str
    category: str
    low: float
    high: float
    nouns: list[str]
    shopper: list[str]  # words shoppers use that the catalog never does
    stuff: list[str] = field(default_factory=list)  # keyword-stuffing phrases for long titles
    gender: str = ""  # letters from m/w/k/u
    sizes: str | None = None  # "shoe" / "apparel" / "waist" / fixed list after "="
    colours: list[str] = field(default_factory=list)
    materials: list[tuple[str, str]] = field(default_factory=list)  # (display, family)
    feats: list[tuple[str, float]] = field(default_factory=list)
    specs: dict[str, list[tuple[str, float | None, str | None]]] = field(default_factory=dict)
    tspecs: list[str] = field(default_factory=list)  # specs that may appear in titles
    dims: dict[str, list[str]] = field(default_factory=dict)
    tdims: list[str] = field(default_factory=list)  # dims that may appear in titles
    uses: list[str] = field(default_factory=list)
    tuse: list[str] = field(default_factory=list)  # short "for ..." title tails
    subs: list[str] = field(default_factory=list)
    packs: list[int] = field(default_factory=list)
    naming: str = "line"
    facts: list[str] = field(default_factory=list)
    care: list[str] = field(default_factory=list)
    weight: float = 1.0
    brands: list[str] | None = None
    vspec: str | None = None  # spec that varies between variants of a line (phone storage)
    compat: str | None = None  # "phone" / "watch": accessory for a listed model
    ages: list[tuple[str, int, int]] = field(default_factory=list)
    model_alone: bool = False  # "Voltra X5 Pro" is a complete title
    tier: str | None = None  # spec whose later values cost more (dumbbell weight, laptop memory)
    always: list[str] = field(default_factory=list)  # features / specs every description states


def _specs(spec: dict[str, str] | None) -> dict[str, list[tuple[str, float | None, str | None]]]:
    out = {}
    for key, values in (spec or {}).items():
        parsed = []
        for value in values.split("|"):
            parts = value.split("=")
            num = float(parts[1]) if len(parts) > 1 and parts[1] else None
            parsed.append((parts[0].strip(), num, parts[2] if len(parts) > 2 and parts[2] else None))
        out[key] = parsed
    return out


_TYPES: list[PType] = []


def T(category: str, name: str, price: tuple[float, float], nouns: str, shopper: str, *, stuff: str = "",
      gender: str = "", sizes: str | None = None, colours: str = "", mats: str = "", feats: str = "",
      specs: dict[str, str] | None = None, tspecs: str = "", dims: dict[str, str] | None = None, tdims: str = "",
      uses: str = "", tuse: str = "", subs: str = "", packs: str = "", naming: str = "line", facts: str = "",
      care: str = "", weight: float = 1.0, brands: str = "", vspec: str | None = None, compat: str | None = None,
      ages: str = "", model_alone: bool = False, tier: str | None = None, always: str = "") -> None:
    materials = []
    for m in _split(mats):
        display, _, family = m.partition(">")
        materials.append((display, family or display.split()[-1].lower()))
    features = []
    for f in (feats.split(",") if feats else []):
        label, _, prob = f.strip().rpartition(" ")
        features.append((label, float(prob)))
    age_list = []
    for a in _split(ages):
        display, lo, hi = a.split("=")
        age_list.append((display, int(lo), int(hi)))
    _TYPES.append(PType(
        name, category, price[0], price[1], _split(nouns), _split(shopper), _split(stuff), gender, sizes,
        _split(colours), materials, features, _specs(specs), _split(tspecs),
        {k: _split(v) for k, v in (dims or {}).items()}, _split(tdims), _split(uses), _split(tuse), _split(subs),
        [int(p) for p in _split(packs)], naming, _split(facts), _split(care), weight, _split(brands) or None, vspec,
        compat, age_list, model_alone, tier, _split(always),
    ))


# --------------------------------------------------------------------------
# The catalog's product types, category by category
# --------------------------------------------------------------------------

SHOE_COLOURS = "Black|Triple Black|White|Cloud White|Grey|Charcoal|Navy|Ocean Blue|Cobalt|Royal Blue|Red|Olive|Tan|Brown|Hi-Vis Yellow|Coral"
SHOE_CARE = "Spot clean with a soft brush and mild soap; air dry away from direct heat.|Remove the insoles and air dry; do not machine wash or tumble dry."

T("Footwear", "running shoes", (55, 190), "Running Shoes|Running Shoe|Road Running Shoes|Road Running Shoe",
  "trainers|jogging shoes|runners|running trainers|joggers",
  stuff="Athletic Shoes|Gym Workout Shoes|Walking Shoes|Tennis Sneakers|Sport Shoes", gender="mmmwwwk", sizes="shoe",
  colours=SHOE_COLOURS, mats="engineered mesh>mesh|breathable knit mesh>mesh|lightweight mesh upper>mesh|knit upper>knit",
  feats="breathable .85, cushioned .6, lightweight .5, reflective .3, waterproof .15, wide fit .12",
  specs={"heel-to-toe drop": "4 mm=4|6 mm=6|8 mm=8|10 mm=10|12 mm=12", "weight": "230 g (8.1 oz)|255 g (9 oz)|275 g (9.7 oz)|295 g (10.4 oz)"},
  uses="daily training runs|easy recovery runs|tempo sessions on the road|treadmill workouts|race day|training for your first 10K|long runs in summer heat",
  tuse="Running, Jogging, Gym|Road Running & Walking|Running, Training, Fitness", subs="trail running shoes|sneakers",
  naming="shoe", care=SHOE_CARE, weight=1.6,
  facts="Rubber outsole placed in high-wear zones.|Padded tongue and heel collar for a locked-in fit.|A rocker-shaped midsole rolls you smoothly from heel to toe.|Removable insole works with orthotics.", always="breathable")
T("Footwear", "trail running shoes", (70, 200), "Trail Running Shoes|Trail Running Shoe|Trail Runner|Trail Shoes",
  "off road trainers|trail trainers|mountain running shoes|fell shoes",
  stuff="Hiking Shoes|Outdoor Athletic Shoes|Non Slip Sneakers", gender="mmwwk", sizes="shoe", colours=SHOE_COLOURS,
  mats="ripstop mesh>mesh|abrasion-resistant mesh>mesh|synthetic overlays and mesh>mesh",
  feats="waterproof .35, breathable .55, lightweight .4, slip-resistant .6, cushioned .4",
  specs={"lug depth": "3.5 mm|4 mm|5 mm|6 mm", "heel-to-toe drop": "4 mm=4|6 mm=6|8 mm=8", "rock plate": "yes||"},
  uses="muddy forest trails|technical mountain runs|trail races|wet, rocky paths|ultra-distance training",
  tuse="Trail Running, Hiking|Outdoor, Trail, Mountain", subs="running shoes|hiking boots", naming="shoe", care=SHOE_CARE,
  facts="Multi-directional lugs bite into mud and loose gravel.|A protective toe bumper shrugs off rocks and roots.|A gusseted tongue keeps grit out.")
T("Footwear", "hiking boots", (70, 240), "Hiking Boots|Hiking Boot|Trekking Boot|Trekking Boots",
  "walking boots|mountain boots|hikers|hill walking boots",
  stuff="Outdoor Trekking Shoes|Backpacking Boots|Trail Boots", gender="mmwwk", sizes="shoe",
  colours="Brown|Tan|Black|Grey|Olive|Charcoal|Taupe|Cognac",
  mats="full-grain leather>leather|suede and mesh>suede|waterproof nubuck>leather|synthetic and mesh>synthetic",
  feats="waterproof .7, insulated .2, slip-resistant .7, lightweight .3, breathable .3",
  specs={"weight": "1.1 kg per pair|1.3 kg per pair|980 g per pair", "shaft height": "mid-cut|high-cut", "membrane": "waterproof breathable membrane||"},
  uses="day hikes|multi-day treks|muddy spring trails|backpacking trips|hill walking in the rain",
  tuse="Hiking, Trekking, Backpacking|Outdoor & Trail", subs="trail running shoes|winter boots", naming="shoe", care=SHOE_CARE,
  facts="Lugged rubber outsole for grip on loose rock.|Padded collar and a gusseted tongue keep out trail debris.|A stiff shank supports you under a heavy pack.")
T("Footwear", "winter boots", (50, 210), "Winter Boots|Snow Boots|Insulated Winter Boots|Winter Boot",
  "warm boots|boots for snow|duck boots|cold weather boots", gender="mwwk", sizes="shoe",
  colours="Black|Brown|Tan|Grey|Charcoal|Navy|Camel|Cream",
  mats="waterproof leather>leather|nylon and rubber>nylon|suede>suede|quilted nylon>nylon",
  feats="insulated .95, waterproof .8, slip-resistant .6, lightweight .2",
  specs={"temperature rating": "-10°F=-10|-20°F=-20|-25°F=-25|-40°F=-40", "lining": "faux fur lining|fleece lining|wool felt liner"},
  uses="shovelling snow|winter dog walks|icy city sidewalks|ski trips|the school run in January",
  subs="hiking boots|rain boots", naming="shoe", care=SHOE_CARE,
  facts="A removable felt liner dries overnight.|Grippy rubber outsole stays flexible in the cold.")
T("Footwear", "sneakers", (35, 150), "Sneakers|Sneaker|Casual Sneakers|Low Top Sneakers|Fashion Sneakers|Court Shoes",
  "trainers|kicks|tennis shoes|plimsolls|everyday shoes", stuff="Walking Shoes|Casual Shoes|Lace-Up Shoes|Skate Shoes",
  gender="mmwwwk", sizes="shoe", colours=SHOE_COLOURS + "|Cream|Pink|Sage Green",
  mats="canvas>canvas|leather>leather|suede>suede|knit>knit|vegan leather>leather",
  feats="lightweight .3, memory foam .3, vegan .15, cushioned .3",
  specs={"closure": "lace-up|slip-on|hook and loop"},
  uses="everyday wear|weekend errands|travel days|long days of sightseeing|pairing with jeans",
  subs="running shoes", naming="shoe", care=SHOE_CARE, weight=1.4,
  facts="Vulcanized rubber sole.|A padded collar keeps heels comfortable all day.|Cushioned footbed you can swap out.")
T("Footwear", "sandals", (18, 90), "Sandals|Sport Sandals|Slide Sandals|Sandal|Strappy Sandals",
  "flip flops|thongs|summer shoes|sliders", gender="mwwk", sizes="shoe",
  colours="Black|Tan|Brown|White|Navy|Olive|Sand|Coral|Cognac",
  mats="EVA foam>foam|leather>leather|recycled webbing>webbing|cork footbed>cork",
  feats="quick-dry .4, cushioned .3, slip-resistant .3, vegan .2",
  specs={"strap": "adjustable hook-and-loop straps|buckle straps|single strap", "arch support": "contoured arch support||"},
  uses="beach days|summer holidays|poolside lounging|walking around town in the heat|river crossings",
  naming="shoe", care="Rinse with fresh water after the beach and let air dry.|Wipe clean; keep leather away from prolonged soaking.")
T("Footwear", "loafers", (45, 180), "Loafers|Penny Loafers|Slip-On Loafers|Driving Loafers|Loafer",
  "moccasins|slip ons|smart shoes|boat shoes", gender="mmwww", sizes="shoe",
  colours="Black|Brown|Tan|Cognac|Navy|Burgundy|Taupe|Cream",
  mats="leather>leather|suede>suede|patent leather>leather|vegan leather>leather",
  feats="cushioned .4, lightweight .3, wide fit .1",
  uses="the office|weddings|smart-casual dinners|summer evenings|business travel",
  subs="oxford shoes", naming="shoe", care="Brush suede with a suede brush; condition leather monthly.",
  facts="Hand-stitched moc toe.|Leather lining and a cushioned footbed.|Stacked heel for a bit of height.")
T("Footwear", "oxford shoes", (60, 220), "Oxford Shoes|Oxfords|Lace-Up Derby Shoes|Cap Toe Oxford",
  "dress shoes|formal shoes|brogues|wedding shoes|business shoes", gender="mmmw", sizes="shoe",
  colours="Black|Brown|Cognac|Tan|Burgundy|Espresso",
  mats="full-grain leather>leather|polished leather>leather|suede>suede",
  feats="cushioned .4, wide fit .15, slip-resistant .2",
  uses="the office|weddings|job interviews|black-tie events",
  subs="loafers", naming="shoe", care="Polish regularly and store with cedar shoe trees.",
  facts="Goodyear-welted leather sole that can be resoled.|Blake-stitched leather sole.|Rubber heel cap for grip.")
T("Footwear", "rain boots", (25, 110), "Rain Boots|Rubber Rain Boots|Wellington Boots|Rain Boot",
  "wellies|galoshes|gumboots|muck boots", gender="mwwkk", sizes="shoe",
  colours="Black|Navy|Olive|Yellow|Red|Pink|Sage|Burgundy|Multicolor",
  mats="natural rubber>rubber|PVC>pvc|vulcanised rubber>rubber",
  feats="waterproof 1.0, slip-resistant .5, insulated .15",
  specs={"shaft height": "ankle|mid-calf|tall"},
  uses="puddle jumping|gardening|festival season|muddy dog walks|the school run",
  naming="shoe", care="Rinse off mud and dry away from radiators.", subs="winter boots")
T("Footwear", "slippers", (14, 70), "Slippers|House Slippers|Moccasin Slippers|Slipper|Slide Slippers",
  "house shoes|bedroom shoes|scuffs|indoor shoes", gender="mwwwk", sizes="shoe",
  colours="Grey|Heather Grey|Cream|Tan|Navy|Burgundy|Pink|Chocolate",
  mats="faux fur>fur|wool felt>wool|fleece>fleece|suede>suede|sheepskin>sheepskin",
  feats="memory foam .6, slip-resistant .5, cushioned .4",
  uses="lazy Sundays|cold floors in winter|working from home|a new-parent gift",
  naming="line", care="Hand wash cold and reshape to dry.")

APPAREL_COLOURS = "Black|White|Heather Grey|Charcoal|Navy|Royal Blue|Sky Blue|Ocean Blue|Burgundy|Olive|Forest Green|Sage|Beige|Khaki|Pink|Lavender|Mustard|Red|Cream"
WASH = "Machine wash cold with like colours; tumble dry low.|Machine wash cold, inside out; hang dry to keep the shape.|Wash at 30°C; do not bleach; cool iron if needed."

T("Apparel", "t-shirt", (10, 45), "T-Shirt|Tee|Crew Neck T-Shirt|Everyday Tee|Short Sleeve Tee|Graphic Tee",
  "tshirt|tee shirt|short sleeve top|tees", stuff="Casual Top|Basic Tee|Crewneck Shirt", gender="mmmwwwku",
  sizes="apparel", colours=APPAREL_COLOURS, mats="100% cotton>cotton|organic cotton>cotton|cotton-poly blend>cotton|slub cotton>cotton|bamboo jersey>bamboo",
  feats="tagless .3, breathable .3, vegan .05", specs={"fabric weight": "lightweight 140 gsm|midweight 180 gsm|heavyweight 220 gsm"},
  dims={"fit": "slim fit|regular fit|relaxed fit|oversized"}, tdims="fit",
  uses="layering under a flannel|everyday wear|lounging at home|travel days", packs="1|1|1|3|5",
  subs="polo shirt|running top", care=WASH, weight=1.5)
T("Apparel", "running top", (15, 70), "Running Shirt|Running Top|Performance Tee|Training T-Shirt|Athletic Shirt|Workout Top",
  "wicking tee|gym shirt|jogging top|sports top|exercise shirt|tech tee",
  stuff="Fitness Shirt Sports Tee|Athletic Workout Top|Active Tee", gender="mmwwwu", sizes="apparel",
  colours=APPAREL_COLOURS + "|Cobalt|Coral|Hi-Vis Yellow|Teal",
  mats="recycled polyester>polyester|polyester-elastane>polyester|merino wool blend>merino|nylon mesh>nylon",
  feats="breathable .9, quick-dry .85, moisture-wicking .8, reflective .3, lightweight .5",
  specs={"sun protection": "UPF 50+=50=UPF 50+|UPF 30=30=UPF 30||", "sleeve": "short sleeve|short sleeve|long sleeve|sleeveless"},
  tspecs="sun protection", uses="hot summer runs|interval sessions|gym workouts|race day|marathon training in the heat|hot yoga",
  tuse="Running, Gym, Workout|Running & Training|Sports, Fitness, Yoga", subs="t-shirt", care=WASH, weight=1.3,
  facts="Flatlock seams prevent chafing.|Mesh panels under the arms and across the back vent heat.|An anti-odor finish keeps it fresh between washes.", always="breathable|quick-dry|sun protection")
T("Apparel", "hoodie", (25, 90), "Hoodie|Pullover Hoodie|Hooded Sweatshirt|Zip-Up Hoodie|Fleece Hoodie",
  "hoody|hooded top|hooded jumper|sweatshirt with hood", stuff="Casual Sweatshirt|Hooded Pullover", gender="mmwwku",
  sizes="apparel", colours=APPAREL_COLOURS, mats="cotton fleece>cotton|french terry>cotton|heavyweight cotton>cotton|recycled fleece>polyester",
  feats="insulated .1, vegan .05", dims={"fit": "regular fit|relaxed fit|oversized"}, tdims="fit",
  specs={"pocket": "kangaroo pocket|zip hand pockets"},
  uses="chilly mornings|lazy weekends|the gym commute|campus life", subs="sweater|fleece jacket", care=WASH, weight=1.2)
T("Apparel", "sweater", (25, 130), "Sweater|Crewneck Sweater|Knit Pullover|Cable Knit Sweater|V-Neck Sweater",
  "jumper|knitwear|woolly jumper|pullover jumper", gender="mmwww", sizes="apparel",
  colours="Cream|Oatmeal|Navy|Charcoal|Heather Grey|Camel|Burgundy|Forest Green|Black|Rust",
  mats="merino wool>merino|lambswool>wool|cotton knit>cotton|cashmere blend>cashmere|acrylic blend>acrylic",
  feats="lightweight .2", dims={"fit": "regular fit|relaxed fit|slim fit"},
  uses="office days|holiday dinners|layering over a shirt|autumn walks", subs="hoodie",
  care="Hand wash cold and dry flat.|Dry clean or hand wash; dry flat to keep the shape.")
T("Apparel", "jeans", (30, 130), "Jeans|Denim Jeans|Jean|5-Pocket Jeans",
  "denims|denim pants|jean pants|dungarees", gender="mmwwk", sizes="waist",
  colours="Dark Wash|Medium Wash|Light Wash|Black|Grey|White",
  mats="stretch denim>denim|100% cotton denim>denim|organic cotton denim>denim|selvedge denim>denim",
  dims={"fit": "slim|straight|relaxed|skinny|bootcut|tapered"}, tdims="fit", specs={"inseam": "30 in|32 in|34 in"},
  uses="everyday wear|weekend plans|casual Fridays", care=WASH, weight=1.2, subs="chinos")
T("Apparel", "dress", (30, 160), "Dress|Wrap Dress|Shift Dress|Sundress|Shirt Dress|Slip Dress",
  "frock|gown|one piece|outfit for a wedding", gender="w", sizes="apparel",
  colours="Black|Navy|Burgundy|Sage Green|Dusty Rose|Ivory|Mustard|Cobalt|Coral|Multicolor|Olive",
  mats="viscose>viscose|linen>linen|cotton poplin>cotton|chiffon>chiffon|stretch jersey>jersey|satin>satin",
  dims={"length": "mini|midi|maxi"}, tdims="length", specs={"sleeve": "sleeveless|short sleeve|long sleeve|flutter sleeve"},
  feats="lightweight .3", uses="weddings|summer holidays|office days|date night|garden parties",
  care="Hand wash cold or dry clean.|Machine wash gentle; line dry.", weight=1.1)
T("Apparel", "leggings", (18, 80), "Leggings|Yoga Leggings|Workout Leggings|7/8 Leggings|Legging",
  "yoga pants|tights|gym pants|exercise pants|activewear bottoms", gender="wwwk", sizes="apparel",
  colours="Black|Charcoal|Navy|Olive|Burgundy|Plum|Sage|Cobalt|Dusty Rose",
  mats="nylon-spandex>nylon|polyester-elastane>polyester|cotton-spandex>cotton|recycled nylon>nylon",
  feats="moisture-wicking .5, quick-dry .3, breathable .3",
  specs={"rise": "high-waisted=1=High Waisted|high-waisted=1=High Waist|mid-rise", "pockets": "side pockets|hidden waistband pocket||", "squat-proof": "yes||"},
  tspecs="rise", uses="yoga|HIIT classes|running errands|barre|long-haul flights", tuse="Yoga, Gym, Running",
  care=WASH, weight=1.2)
T("Apparel", "polo shirt", (20, 75), "Polo Shirt|Polo|Pique Polo|Performance Polo|Short Sleeve Polo",
  "golf shirt|collared shirt|collar t shirt|tennis shirt", gender="mmmw", sizes="apparel", colours=APPAREL_COLOURS,
  mats="cotton pique>cotton|polyester>polyester|cotton blend>cotton", feats="moisture-wicking .3, quick-dry .2",
  dims={"fit": "slim fit|regular fit|classic fit"}, uses="the golf course|casual Fridays|summer barbecues",
  subs="t-shirt", care=WASH)
T("Apparel", "chinos", (30, 95), "Chinos|Chino Pants|Flat Front Chinos|Chino Trousers",
  "khakis|slacks|work pants|smart trousers", gender="mmmw", sizes="waist",
  colours="Khaki|Navy|Olive|Stone|Black|Sand|Charcoal|Brick",
  mats="stretch cotton twill>cotton|cotton twill>cotton|organic cotton>cotton", dims={"fit": "slim|straight|relaxed|tapered"}, tdims="fit",
  uses="the office|date nights|weekend brunch", care=WASH, subs="jeans")
T("Apparel", "running shorts", (15, 60), "Running Shorts|Athletic Shorts|Training Shorts|Workout Shorts",
  "jogging shorts|gym shorts|track shorts|short shorts for running", stuff="Workout Shorts Quick Dry|Sports Shorts with Pockets",
  gender="mmwwk", sizes="apparel", colours=APPAREL_COLOURS + "|Cobalt|Hi-Vis Yellow|Teal",
  mats="lightweight polyester>polyester|recycled nylon>nylon|stretch woven>polyester",
  feats="quick-dry .85, breathable .7, reflective .3, lightweight .6, moisture-wicking .4",
  specs={"inseam": "3 inch=3=3\"|5 inch=5=5\"|7 inch=7=7\"|9 inch=9=9\"", "liner": "built-in brief liner|2-in-1 compression liner|unlined",
         "pockets": "zip back pocket|side phone pockets|key pocket"},
  tspecs="inseam", uses="summer tempo runs|interval sessions|gym workouts|hot-weather races|CrossFit",
  tuse="Running, Gym, Training|Workout & Jogging", care=WASH, always="quick-dry|inseam")
T("Apparel", "running socks", (5, 18), "Running Socks|Athletic Socks|Cushioned Running Socks|No Show Running Socks|Ankle Socks",
  "sports socks|jogging socks|gym socks", gender="uuumw", sizes="=S (W 5-7)|M (M 6-9, W 8-10)|L (M 9.5-12)",
  colours="White|Black|Grey|Navy|Multicolor|Hi-Vis Yellow",
  mats="merino wool>merino|Coolmax polyester>polyester|nylon blend>nylon", feats="moisture-wicking .8, cushioned .5, breathable .5",
  specs={"height": "no-show|quarter|crew"}, uses="marathon training|blister-free long runs|everyday gym sessions",
  packs="3|3|6|1|2", care=WASH, weight=1.0)
T("Apparel", "sun hat", (12, 50), "Sun Hat|Bucket Hat|Wide Brim Hat|Boonie Hat|Wide Brim Sun Hat",
  "beach hat|sunhat|hat for the sun|floppy hat", gender="uuwk", sizes="=one size fits most|S/M|L/XL",
  colours="Khaki|Sand|Navy|Black|Olive|White|Cream|Sky Blue",
  mats="nylon>nylon|cotton twill>cotton|paper straw>straw|recycled polyester>polyester",
  feats="packable .5, breathable .5, quick-dry .3",
  specs={"sun protection": "UPF 50+=50=UPF 50+|UPF 50+=50=UPF 50+|UPF 30=30=UPF 30", "brim": "3 in brim|4 in brim|2.5 in brim", "chin strap": "adjustable chin strap||"},
  tspecs="sun protection", uses="beach holidays|gardening|hiking in full sun|fishing trips|kids at the pool",
  tuse="Beach, Hiking, Fishing", care="Hand wash and reshape while damp.", always="sun protection")

OUTER_COLOURS = "Black|Navy|Olive|Red|Charcoal|Camel|Yellow|Cobalt|Forest Green|Burnt Orange|Sky Blue|Sand"
T("Outerwear", "rain jacket", (50, 240), "Rain Jacket|Waterproof Jacket|Rain Shell|Shell Jacket|Rain Jacket with Hood",
  "raincoat|anorak|rain mac|slicker|waterproof coat", stuff="Lightweight Outdoor Jacket|Hiking Windbreaker Coat",
  gender="mmwwk", sizes="apparel", colours=OUTER_COLOURS,
  mats="2.5-layer nylon>nylon|3-layer recycled polyester>polyester|ripstop nylon>nylon",
  feats="waterproof 1.0, breathable .6, packable .5, hooded 1.0, lightweight .5, reflective .15",
  specs={"waterproof rating": "10,000 mm=10000|20,000 mm=20000|5,000 mm=5000", "seams": "fully taped seams|critically taped seams", "vents": "pit zips||"},
  uses="wet commutes|hiking in the hills|festival weekends|travel to rainy cities|dog walks in the drizzle",
  tuse="Hiking, Travel, Cycling|Outdoor & Commute", subs="windbreaker", care="Machine wash with a technical cleaner; tumble dry low to revive the water repellency.",
  facts="Adjustable cuffs and hem seal out the weather.|Two zippered hand pockets.")
T("Outerwear", "down parka", (110, 450), "Down Parka|Puffer Jacket|Down Jacket|Insulated Parka|Puffer Coat",
  "winter coat|puffy coat|puffa jacket|duvet coat|warm coat", stuff="Winter Warm Outerwear|Thick Quilted Coat",
  gender="mmwwk", sizes="apparel", colours=OUTER_COLOURS + "|Cream|Taupe",
  mats="recycled nylon shell with 650-fill down>down|nylon shell with 800-fill down>down|polyester shell with synthetic fill>synthetic",
  feats="insulated 1.0, hooded .8, water-resistant .6, packable .25",
  specs={"temperature rating": "comfortable to -10°F=-10|comfortable to 0°F=0|comfortable to 15°F=15|comfortable to -20°F=-20", "length": "hip length|thigh length|knee length"},
  uses="bitter winter commutes|ski trips|standing at the bus stop in January|winter in the mountains",
  subs="wool coat", care="Machine wash gentle with down wash; tumble dry low with dryer balls.")
T("Outerwear", "fleece jacket", (30, 120), "Fleece Jacket|Full-Zip Fleece|Polar Fleece Jacket|Quarter-Zip Fleece|Fleece Zip Jacket",
  "fleece top|zip up fleece|fleecy|mid layer", gender="mmwwk", sizes="apparel", colours=OUTER_COLOURS + "|Cream|Heather Grey",
  mats="recycled polyester fleece>fleece|sherpa fleece>fleece|microfleece>fleece",
  feats="lightweight .4, insulated .3", uses="layering under a shell|campfire evenings|cool autumn hikes|office air conditioning",
  subs="hoodie", care=WASH)
T("Outerwear", "windbreaker", (35, 130), "Windbreaker|Wind Jacket|Running Jacket|Wind Shell|Lightweight Jacket",
  "wind cheater|track jacket|wind resistant jacket", gender="mmwwk", sizes="apparel", colours=OUTER_COLOURS + "|Hi-Vis Yellow",
  mats="ripstop nylon>nylon|recycled polyester>polyester", feats="water-resistant .6, packable .6, reflective .4, breathable .6, hooded .5, lightweight .8",
  uses="breezy morning runs|cycling commutes|spring hikes|sailing days", tuse="Running, Cycling, Hiking",
  subs="rain jacket", care=WASH)
T("Outerwear", "wool coat", (100, 380), "Wool Coat|Overcoat|Peacoat|Wool Blend Coat|Topcoat",
  "dress coat|smart winter coat|car coat|crombie", gender="mmwww", sizes="apparel",
  colours="Camel|Charcoal|Navy|Black|Grey|Cream|Burgundy",
  mats="80% wool blend>wool|Italian wool>wool|recycled wool>wool|cashmere blend>cashmere",
  feats="insulated .2", specs={"length": "hip length|thigh length|knee length"},
  uses="the office commute|wearing over a suit|evenings out|winter weddings", subs="down parka",
  care="Dry clean only.")
T("Outerwear", "beanie", (10, 40), "Beanie|Knit Beanie|Cuffed Beanie|Beanie Hat|Ribbed Beanie",
  "winter hat|toque|woolly hat|knit cap|bobble hat", gender="uuuwk", sizes="=one size",
  colours="Black|Charcoal|Navy|Cream|Mustard|Burgundy|Olive|Rust|Heather Grey",
  mats="merino wool>merino|acrylic knit>acrylic|cashmere blend>cashmere|recycled polyester>polyester",
  feats="insulated .3", specs={"lining": "fleece-lined|unlined|unlined"}, packs="1|1|2",
  uses="ski trips|cold morning runs|winter commutes", care="Hand wash cold; dry flat.")
T("Outerwear", "gloves", (12, 70), "Gloves|Winter Gloves|Insulated Gloves|Knit Gloves|Ski Gloves",
  "mittens|mitts|hand warmers for cold", gender="mmwwk", sizes="apparel",
  colours="Black|Charcoal|Navy|Brown|Tan|Olive|Red",
  mats="fleece>fleece|leather>leather|knit wool blend>wool|softshell>softshell",
  feats="touchscreen .5, waterproof .35, insulated .7, slip-resistant .2",
  uses="winter cycling|scraping the windscreen|ski days|cold morning runs", care="Hand wash; air dry.")

TECH_COLOURS = "Black|Midnight Black|White|Silver|Graphite|Ocean Blue|Sky Blue|Navy|Rose Gold|Sage Green|Lavender|Red"
ELEC_CARE = "Covered by our 2-year electronics warranty.|Includes a USB-C charging cable; power adapter sold separately.|In the box: charging cable, quick start guide."
T("Electronics", "wireless earbuds", (20, 250), "Wireless Earbuds|True Wireless Earbuds|Bluetooth Earbuds|Earbuds|In-Ear Headphones",
  "earphones|ear phones|cordless earphones|ear pods|wireless ear buds",
  stuff="Bluetooth Headphones with Mic|Sports Ear Buds|Stereo Sound with Charging Case", colours=TECH_COLOURS,
  feats="noise cancelling .4, fast charging .3, wireless charging .3, water-resistant .6",
  specs={"battery life": "up to 6 hours=6|up to 8 hours=8|up to 10 hours=10", "total playtime with case": "up to 24 hours=24=24H Playtime|up to 30 hours=30=30H Playtime|up to 36 hours=36=36H Playtime|up to 40 hours=40=40H Playtime",
         "water resistance": "IPX4|IPX5|IPX7|", "bluetooth": "Bluetooth 5.3=5.3=Bluetooth 5.3|Bluetooth 5.2=5.2=BT 5.2|Bluetooth 5.4=5.4=Bluetooth 5.4", "driver": "10 mm dynamic driver|12 mm graphene driver|6 mm driver"},
  tspecs="total playtime with case|bluetooth|water resistance", uses="commuting|gym sessions|calls on the go|long flights|running",
  tuse="iOS & Android|Sports, Workout, Running|Work, Calls, Gaming", naming="tech", care=ELEC_CARE, weight=1.6,
  facts="Three sizes of silicone tips in the box.|Touch controls for music, calls and the voice assistant.|Multipoint pairing with a phone and a laptop at the same time.", always="battery life|total playtime with case")
T("Electronics", "over-ear headphones", (40, 400), "Over-Ear Headphones|Wireless Headphones|Bluetooth Headphones|Headphones|Over Ear Headphones",
  "cans|headset|over ear headset|earmuff headphones", stuff="Wireless Bluetooth Over Ear with Mic|Hi-Fi Stereo Headphones",
  colours="Black|Midnight Black|White|Silver|Navy|Sand|Sage Green|Rose Gold",
  feats="noise cancelling .55, foldable .5, fast charging .3",
  specs={"battery life": "up to 30 hours=30=30H Playtime|up to 40 hours=40=40 Hours Battery|up to 50 hours=50=50H|up to 60 hours=60=60 Hour Battery|up to 70 hours=70=70H Playtime",
         "weight": "250 g|280 g|310 g", "codecs": "AAC, SBC|LDAC, AAC, SBC|aptX Adaptive, AAC"},
  tspecs="battery life", uses="long-haul flights|focused work in open offices|gaming sessions|the daily commute|late-night TV",
  tuse="Travel, Work, Home Office|Travel & Commute", subs="wireless earbuds", naming="tech", care=ELEC_CARE, weight=1.2,
  facts="Memory-foam ear cushions stay comfortable for hours.|A 3.5 mm cable lets you listen wired when the battery runs out.|Soft-touch carrying case included.", tier="battery life", always="battery life")
T("Electronics", "bluetooth speaker", (20, 300), "Bluetooth Speaker|Portable Speaker|Wireless Speaker|Portable Bluetooth Speaker|Outdoor Speaker",
  "boombox|music speaker|speaker box|party speaker|beach speaker", stuff="Loud Stereo Sound Deep Bass|Wireless Bluetooth 5.3 Speaker",
  colours="Black|Ocean Blue|Red|Sage Green|Sand|Grey|Teal|Burnt Orange",
  feats="waterproof .55, rechargeable .2",
  specs={"battery life": "up to 10 hours=10|up to 12 hours=12|up to 16 hours=16|up to 20 hours=20|up to 24 hours=24|up to 30 hours=30", "output": "10 W=10|20 W=20|30 W=30|40 W=40|60 W=60",
         "water resistance": "IP67|IPX7|IPX5|", "pairing": "stereo pairing with a second speaker||"},
  tspecs="output|battery life|water resistance", uses="pool parties|camping trips|the beach|backyard barbecues|the shower|picnics",
  tuse="Outdoor, Beach, Pool|Home, Party, Travel", naming="tech", care=ELEC_CARE, weight=1.1,
  facts="A built-in microphone for speakerphone calls.|Floats face-up if it lands in the pool.|A sturdy strap clips onto a backpack.", always="battery life")
T("Electronics", "smartwatch", (80, 450), "Smartwatch|Smart Watch|Fitness Smartwatch|Sport Smart Watch|Fitness Smart Watch",
  "running watch|wearable|smart wristwatch|sport watch|activity watch", stuff="Fitness Tracker Watch with Heart Rate|Activity Tracker Sleep Monitor",
  gender="uuuuwm", colours="Black|Midnight Black|Silver|Rose Gold|Graphite|Ocean Blue|Sage Green|Navy|White",
  feats="heart rate monitoring 1.0, sleep tracking .85, gps .6, blood oxygen .5, water-resistant .9",
  specs={"battery life": "up to 2 days=48=2-Day Battery|up to 5 days=120=5-Day Battery|up to 7 days=168=7-Day Battery|up to 10 days=240=10-Day Battery|up to 14 days=336=14-Day Battery",
         "display": "1.3 inch AMOLED=1.3|1.4 inch AMOLED=1.4|1.9 inch LCD=1.9|1.43 inch always-on AMOLED=1.43", "water resistance": "5 ATM|IP68|10 ATM",
         "case size": "41 mm|45 mm|46 mm|42 mm", "payments": "contactless payments||", "compatibility": "Android and iOS"},
  tspecs="battery life|display", uses="marathon training|tracking sleep and recovery|open-water swims|everyday health tracking|cycling",
  tuse="Android & iOS|Men Women, Fitness|Running, Swimming, Cycling", subs="fitness tracker", naming="watch", care=ELEC_CARE, weight=1.2,
  facts="Tracks over 100 workout modes.|Shows calls, texts and app notifications from your phone.|Magnetic charging puck included.", tier="battery life", always="heart rate monitoring|battery life|water resistance")
T("Electronics", "fitness tracker", (25, 160), "Fitness Tracker|Activity Tracker|Fitness Band|Smart Band|Health Tracker",
  "step counter|pedometer|exercise watch|wrist tracker", stuff="Fitness Watch with Steps|Waterproof Sport Band",
  gender="uuuuw", colours="Black|Midnight Black|Graphite|Rose Gold|Lavender|Ocean Blue|Sage Green|White|Coral",
  feats="heart rate monitoring 1.0, sleep tracking .9, blood oxygen .4, gps .15, water-resistant .85",
  specs={"battery life": "up to 7 days=168=7-Day Battery|up to 10 days=240=10 Day Battery|up to 14 days=336=14-Day Battery|up to 21 days=504=21-Day Battery", "display": "0.96 inch color touchscreen|1.1 inch AMOLED|1.47 inch AMOLED", "water resistance": "5 ATM|IP68"},
  tspecs="battery life", uses="counting steps at work|sleep tracking|swimming laps|getting back into exercise",
  tuse="Men Women Kids|Walking, Running, Swimming", subs="smartwatch", naming="tech", care=ELEC_CARE,
  facts="Reminds you to move after an hour of sitting.|Syncs to a free app on Android and iOS.", always="heart rate monitoring|battery life")
T("Electronics", "portable charger", (12, 90), "Portable Charger|Power Bank|Battery Pack|Portable Power Bank|Slim Power Bank",
  "phone battery|backup battery|juice pack|external battery|battery charger for phone",
  stuff="USB C Fast Charging Battery|Phone Charger Pack", colours="Black|White|Graphite|Ocean Blue|Lavender|Sage Green",
  feats="fast charging .65",
  specs={"capacity": "5000mAh=5000=5000mAh|10000mAh=10000=10000mAh|20000mAh=20000=20000mAh|26800mAh=26800=26800mAh", "output": "20W|22.5W|30W|65W", "ports": "1 USB-C + 1 USB-A|2 USB-C + 1 USB-A|1 USB-C"},
  tspecs="capacity|output", uses="long travel days|festivals|camping weekends|power outages", tuse="Phones, Tablets, Earbuds|Travel & Camping",
  naming="tech", care=ELEC_CARE, facts="Charges two devices at once.|LED display shows the remaining charge.|Airline carry-on friendly.", tier="capacity")
T("Electronics", "smartphone", (150, 1200), "Smartphone|Unlocked Smartphone|Android Smartphone|Cell Phone|Smart Phone",
  "mobile phone|mobile|handset|cellphone|new phone", stuff="Unlocked Android Phone Dual SIM|Phone with Triple Camera",
  colours="Midnight Black|Ocean Blue|Sky Blue|Silver|Sage Green|Lavender|Graphite|White|Navy|Coral",
  feats="5g .8, water-resistant .65, wireless charging .5, fast charging .75",
  specs={"battery life": "up to 20 hours=20=All-Day Battery|up to 24 hours=24=24H Battery|up to 30 hours=30=30-Hour Battery|up to 36 hours=36=36H Battery|up to 2 days=48=2-Day Battery",
         "battery capacity": "4500 mAh=4500=4500mAh|5000 mAh=5000=5000mAh|5500 mAh=5500=5500mAh",
         "screen size": "6.1 inch=6.1=6.1\"|6.4 inch=6.4=6.4\"|6.6 inch=6.6=6.6\"|6.7 inch=6.7=6.7-Inch|6.8 inch=6.8=6.8\"",
         "storage": "128 GB=128=128GB|256 GB=256=256GB|512 GB=512=512GB|1 TB=1024=1TB", "memory": "8 GB RAM|12 GB RAM|6 GB RAM",
         "display": "AMOLED 120Hz|OLED 120Hz|LCD 90Hz", "main camera": "50 MP main camera|108 MP main camera|48 MP main camera|200 MP main camera",
         "water resistance": "IP68|IP67|IP54", "sim": "dual SIM|dual SIM + eSIM|single SIM + eSIM"},
  tspecs="storage|screen size|battery life|main camera|battery capacity", uses="heavy social media days|photography on the go|gaming on the go|travel|work calls all day",
  naming="phone", care="Unlocked for all major carriers.|Covered by our 2-year electronics warranty.|In the box: USB-C cable and SIM tool; no charger.",
  weight=1.2, vspec="storage", model_alone=True, brands="Voltra|Nexa|Pulsewave|Auralis|TOZVIK",
  facts="Gets 5 years of OS updates.|Night mode keeps low-light photos sharp.|A stereo speaker pair and haptic feedback.", always="battery life|screen size")
T("Electronics", "phone case", (8, 45), "Case for {compat}|{compat} Case|Phone Case for {compat}|Protective Case Compatible with {compat}",
  "phone cover|mobile cover|bumper for phone", stuff="Shockproof Protective Cover|Slim Fit Bumper", colours="Black|Clear|Navy|Sage Green|Lavender|Red|Sand|Pink",
  mats="TPU>tpu|liquid silicone>silicone|polycarbonate and TPU>polycarbonate|vegan leather>leather",
  feats="lightweight .4, wireless charging .6",
  specs={"drop protection": "6 ft drop tested|10 ft drop tested|military-grade drop protection|", "extras": "kickstand|card slot|raised camera lip|"},
  uses="everyday protection|clumsy hands|outdoor work", naming="none", compat="phone", care="Wipe clean with a damp cloth.", weight=1.3)
T("Electronics", "watch band", (8, 40), "Band for {compat}|Replacement Band Compatible with {compat}|{compat} Watch Band|Sport Strap for {compat}",
  "wristband for smartwatch|strap replacement|smartwatch bracelet", colours="Black|Navy|Sand|Sage Green|Lavender|Red|Ocean Blue|Cognac",
  mats="silicone>silicone|nylon sport loop>nylon|genuine leather>leather|stainless steel mesh>steel",
  specs={"fits wrists": "130-200 mm|140-210 mm|150-220 mm"}, packs="1|1|2|3",
  uses="workouts|the office|swimming", naming="none", compat="watch", care="Rinse silicone bands after workouts.", weight=0.8)
T("Electronics", "charging cable", (6, 30), "USB-C Cable|Charging Cable|USB-C to USB-C Cable|Fast Charging Cable|USB C Charger Cable",
  "charger cord|phone charger wire|charging lead|charger wire", colours="Black|White|Grey|Ocean Blue",
  mats="braided nylon>nylon|TPE>tpe", feats="fast charging .7",
  specs={"length": "3 ft (1 m)=3=3ft|6 ft (2 m)=6=6ft|10 ft (3 m)=10=10ft", "power": "60W|100W|240W", "data": "USB 2.0 data|USB 3.2 10Gbps data"},
  tspecs="length|power", packs="1|2|3|2", uses="bedside charging|the car|travel bags", naming="none", care="Covered by our 2-year electronics warranty.")

COMP_COLOURS = "Black|Silver|Space Grey|White|Graphite|Midnight Black"
COMP_CARE = "Covered by our 2-year electronics warranty.|Free returns within 15 days of delivery.|Ships in protective packaging."
T("Computers", "laptop", (350, 2400), "Laptop|Notebook|Ultrabook|Laptop Computer|Notebook Computer",
  "portable computer|lap top|pc laptop|computer for school", stuff="Business Laptop Computer|Student Notebook PC",
  colours=COMP_COLOURS + "|Ocean Blue", feats="backlit keyboard .65, touchscreen display .25, dedicated graphics .2, fast charging .4",
  specs={"display size": "13.3 inch=13.3=13.3\"|14 inch=14=14\"|15.6 inch=15.6=15.6\"|16 inch=16=16-Inch|17.3 inch=17.3=17.3\"",
         "memory": "8 GB RAM=8=8GB RAM|16 GB RAM=16=16GB RAM|32 GB RAM=32=32GB RAM", "storage": "256 GB SSD=256=256GB SSD|512 GB SSD=512=512GB SSD|1 TB SSD=1024=1TB SSD",
         "processor": "6-core processor|8-core processor|10-core processor|12-core processor", "battery life": "up to 8 hours=8|up to 10 hours=10|up to 12 hours=12|up to 15 hours=15|up to 18 hours=18|up to 20 hours=20",
         "weight": "1.1 kg (2.4 lb)=1.1|1.3 kg (2.9 lb)=1.3|1.6 kg (3.5 lb)=1.6|1.9 kg (4.2 lb)=1.9|2.4 kg (5.3 lb)=2.4", "operating system": "Windows 11 Home|Windows 11 Pro|ChromeOS|Linux (Ubuntu)"},
  tspecs="display size|memory|storage|processor|operating system", uses="college coursework|video editing|working from cafés|gaming after hours|business travel|spreadsheets and video calls",
  tuse="Business, Students, Home|Work & Study", naming="computer", care=COMP_CARE, weight=1.4,
  facts="A 1080p webcam with a privacy shutter.|Two USB-C ports, one USB-A and HDMI.|Wi-Fi 6E and Bluetooth 5.3.|An aluminum chassis that passes 12 durability tests.", tier="memory", always="battery life|memory|storage")
T("Computers", "monitor", (90, 900), "Monitor|Computer Monitor|PC Monitor|Display|Desktop Monitor",
  "pc screen|computer screen|second screen|desktop screen", stuff="Frameless Desktop Display|Home Office Monitor",
  colours="Black|Silver|White", feats="height adjustable .4",
  specs={"display size": "24 inch=24=24\"|27 inch=27=27 Inch|32 inch=32=32\"|34 inch ultrawide=34=34\" Ultrawide",
         "resolution": "1080p Full HD=1080=FHD 1080p|1440p QHD=1440=QHD 1440p|4K UHD=2160=4K UHD", "refresh rate": "60Hz=60|75Hz=75|144Hz=144|165Hz=165|240Hz=240",
         "panel": "IPS|VA|OLED", "inputs": "HDMI, DisplayPort|HDMI, DisplayPort, USB-C 65W|2x HDMI", "speakers": "built-in speakers||"},
  tspecs="display size|resolution|refresh rate|panel", uses="spreadsheets and coding|photo editing|competitive gaming|a laptop docking setup",
  tuse="Home Office, Gaming|Work & Gaming", naming="computer", care=COMP_CARE, weight=1.2,
  facts="VESA 100 mount compatible.|Flicker-free with a low blue light mode.|Factory calibrated for 99% sRGB.", tier="display size")
T("Computers", "mechanical keyboard", (35, 220), "Mechanical Keyboard|Mechanical Gaming Keyboard|Keyboard|Mechanical Keyboard for PC",
  "clicky keyboard|typing keyboard|keeb|gamer keyboard", stuff="RGB Backlit Wired Keyboard|Hot Swappable Keyboard",
  colours="Black|White|Grey|Cream|Lavender|Sage Green", feats="rechargeable .35",
  specs={"layout": "full-size=100=Full Size|tenkeyless=87=TKL|75%=75=75%|65%=65=65%", "switches": "red linear switches=0=Red Switch|brown tactile switches=0=Brown Switch|blue clicky switches=0=Blue Switch",
         "connection": "wired USB-C|wireless 2.4 GHz + Bluetooth|wireless 2.4 GHz + Bluetooth + wired", "backlight": "RGB backlight|white backlight|", "hot-swappable": "hot-swappable switches||"},
  tspecs="layout|switches|backlight", uses="long coding sessions|competitive gaming|writing|a tidy desk setup", naming="computer", care=COMP_CARE)
T("Computers", "wireless mouse", (10, 120), "Wireless Mouse|Bluetooth Mouse|Mouse|Wireless Optical Mouse",
  "cordless mouse|computer mouse|laptop mouse|mouse without cable", colours="Black|Graphite|White|Rose Gold|Ocean Blue|Space Grey",
  feats="ergonomic .4, rechargeable .5",
  specs={"sensor": "1600 DPI|4000 DPI|8000 DPI", "battery": "up to 12 months on one AA battery|up to 70 days per charge|up to 90 days per charge", "clicks": "silent clicks||", "connection": "USB receiver|Bluetooth|Bluetooth + USB receiver"},
  uses="travel|the home office|quiet open-plan offices|spreadsheets all day", naming="computer", care=COMP_CARE, weight=1.1)
T("Computers", "webcam", (25, 200), "Webcam|Web Camera|HD Webcam|Streaming Webcam|USB Webcam",
  "camera for zoom|video call camera|computer camera|pc camera|conference cam", colours="Black|White|Graphite",
  feats="", specs={"resolution": "1080p=1080=1080P|2K=1440=2K|4K=2160=4K", "frame rate": "30 fps|60 fps", "microphone": "dual noise-reducing microphones|built-in microphone",
                   "privacy": "privacy shutter||", "focus": "autofocus|fixed focus"},
  tspecs="resolution|frame rate", uses="video calls|streaming|online classes|remote interviews", tuse="Zoom, Teams, Streaming",
  naming="computer", care=COMP_CARE)
T("Computers", "usb-c hub", (15, 180), "USB-C Hub|USB C Hub|Docking Station|Multiport Adapter|USB-C Dock",
  "dongle|usb splitter|port expander|laptop adapter|hdmi adapter for laptop", colours="Space Grey|Silver|Black",
  feats="dual monitor .3", specs={"ports": "5-in-1=5=5-in-1|7-in-1=7=7-in-1|8-in-1=8=8-in-1|11-in-1=11=11-in-1", "hdmi": "4K@30Hz|4K@60Hz",
                                  "power delivery": "100W pass-through|85W pass-through", "ethernet": "Gigabit Ethernet||", "card reader": "SD/microSD card reader||"},
  tspecs="ports|hdmi", uses="thin laptops with only USB-C|a desk setup with two screens|travel", naming="computer", care=COMP_CARE)
T("Computers", "laptop sleeve", (10, 60), "Laptop Sleeve|Laptop Case|Laptop Bag|Laptop Cover Sleeve",
  "laptop pouch|computer sleeve|notebook pouch", colours="Black|Grey|Navy|Sand|Sage Green|Cognac|Lavender",
  mats="neoprene>neoprene|wool felt>felt|water-resistant nylon>nylon|vegan leather>leather",
  specs={"fits": "13-14 inch laptops=14=13-14 Inch|15-16 inch laptops=16=15-16 Inch|17 inch laptops=17=17 Inch"}, tspecs="fits",
  uses="commuting|keeping your laptop safe in a backpack", naming="none", care="Spot clean.")

KITCHEN_COLOURS = "Black|Stainless Steel|White|Cream|Sage Green|Red|Copper|Matte Black|Brushed Steel"
T("Home & Kitchen", "coffee maker", (25, 350), "Coffee Maker|Drip Coffee Maker|Coffee Machine|Coffee Brewer|Filter Coffee Maker",
  "coffee pot|drip brewer|percolator|coffee machine for home", stuff="Coffee Machine with Glass Carafe|Auto Shut Off Brewer",
  colours=KITCHEN_COLOURS, feats="programmable .5, keep warm .6",
  specs={"capacity": "5 cups=5=5-Cup|10 cups=10=10-Cup|12 cups=12=12 Cup|14 cups=14=14-Cup", "carafe": "glass carafe|thermal carafe|glass carafe",
         "brew strength": "bold and regular settings||", "filter": "reusable mesh filter|paper filters (#4 cone)"},
  tspecs="capacity|carafe", uses="busy weekday mornings|brunch for the family|the office break room|a small kitchen",
  naming="appliance", care="Descale monthly with white vinegar.|Carafe and filter basket are dishwasher safe.", weight=1.1, tier="capacity")
T("Home & Kitchen", "espresso machine", (90, 900), "Espresso Machine|Espresso Maker|Espresso Coffee Machine|Semi-Automatic Espresso Machine",
  "latte machine|cappuccino maker|barista machine|coffee machine that makes lattes", colours="Stainless Steel|Black|Cream|Brushed Steel|Red",
  feats="milk frother .7, programmable .3",
  specs={"pressure": "15 bar|19 bar|20 bar", "water tank": "1.2 L|1.5 L|1.8 L", "grinder": "built-in conical burr grinder||"},
  tspecs="pressure", uses="lattes at home|weekend brunch|café-style drinks before work", subs="coffee maker", naming="appliance",
  care="Run a cleaning cycle weekly and descale every two months.")
T("Home & Kitchen", "blender", (25, 300), "Blender|Countertop Blender|Kitchen Blender|High-Speed Blender|Professional Blender",
  "smoothie maker|liquidiser|liquidizer|food mixer|nutribullet style blender", stuff="Smoothie Blender for Shakes|Ice Crusher",
  colours=KITCHEN_COLOURS, feats="dishwasher-safe .5",
  specs={"capacity": "20 oz cup=0.6=20 oz|48 oz jar=1.4=48oz|64 oz jar=1.9=64 oz|2 L jar=2=2L", "power": "600 W=600=600W|1000 W=1000=1000W|1200 W=1200=1200W|1500 W=1500=1500W",
         "programs": "smoothie, ice crush and pulse presets|variable speed dial|3 speeds + pulse", "extras": "two to-go cups|tamper|"},
  tspecs="power|capacity", uses="morning smoothies|crushing ice for frozen drinks|soups and sauces|protein shakes after the gym",
  naming="appliance", care="Blend warm water with a drop of soap to clean.", tier="power")
T("Home & Kitchen", "air fryer", (40, 250), "Air Fryer|Air Fryer Oven|Digital Air Fryer|Air Fryer with Window",
  "airfryer|oil free fryer|oil-less fryer|healthy fryer", stuff="Large Family Size Oilless Cooker|Nonstick Basket Fryer",
  colours="Black|Matte Black|White|Stainless Steel|Sage Green|Cream",
  feats="dishwasher-safe .6", specs={"capacity": "3.5 qt=3.3=3.5 Qt|4 qt=3.8=4 Quart|5.8 qt=5.5=5.8QT|6 qt=5.7=6 Qt|8 qt dual basket=7.6=8 Quart Dual Basket",
                                     "power": "1500 W|1700 W|1800 W", "presets": "6 presets|8 presets|12 presets"},
  tspecs="capacity|presets", uses="crispy fries without the oil|quick weeknight dinners|reheating leftovers|frozen snacks",
  naming="appliance", care="Non-stick basket: hand wash with a soft sponge.", weight=1.1, tier="capacity")
T("Home & Kitchen", "chef's knife", (15, 200), "Chef's Knife|Chef Knife|Kitchen Knife|Gyuto Chef Knife|Professional Chef Knife",
  "cooking knife|cook's knife|knife for chopping|vegetable knife", colours="Black|Stainless Steel|Walnut",
  mats="German stainless steel>steel|Japanese VG-10 steel>steel|high-carbon stainless steel>steel|Damascus steel>steel",
  specs={"blade length": "6 inch=6=6 Inch|8 inch=8=8 Inch|10 inch=10=10\"", "handle": "pakkawood handle|G10 handle|POM handle|olive wood handle", "hardness": "56 HRC|58 HRC|60 HRC"},
  tspecs="blade length", uses="dicing onions|slicing vegetables|breaking down a chicken|everyday meal prep", naming="line",
  care="Hand wash and dry immediately; hone before each use.")
T("Home & Kitchen", "cast iron skillet", (18, 120), "Cast Iron Skillet|Cast Iron Frying Pan|Cast Iron Skillet Pan|Cast Iron Pan",
  "iron fry pan|griddle|dutch skillet", colours="Black|Red|Sage Green|Cream",
  mats="cast iron>cast iron|enamelled cast iron>cast iron", feats="pre-seasoned .8, induction compatible .9",
  specs={"diameter": "8 inch=8=8\"|10.25 inch=10=10 Inch|12 inch=12=12-Inch|15 inch=15=15\"", "oven safe": "oven safe to 500°F"},
  tspecs="diameter", uses="searing steak|cornbread|campfire cooking|shallow frying", subs="nonstick frying pan", naming="line",
  care="Hand wash, dry on the stove and wipe with a thin coat of oil.")
T("Home & Kitchen", "nonstick frying pan", (15, 90), "Nonstick Frying Pan|Non-Stick Skillet|Fry Pan|Nonstick Pan|Frying Pan",
  "teflon pan|omelette pan|egg pan|saute pan", colours="Black|Grey|Sage Green|Cream|Copper",
  mats="aluminum with ceramic coating>aluminum|hard-anodized aluminum>aluminum|stainless steel tri-ply>steel",
  feats="induction compatible .5, dishwasher-safe .4",
  specs={"diameter": "8 inch=8=8\"|10 inch=10=10 Inch|12 inch=12=12\"", "coating": "PFAS-free ceramic coating|PFOA-free nonstick coating", "oven safe": "oven safe to 400°F||"},
  tspecs="diameter", uses="eggs and pancakes|weeknight stir-fries|delicate fish", subs="cast iron skillet", naming="line", packs="1|1|1|2",
  care="Hand washing extends the life of the coating.")
T("Home & Kitchen", "electric kettle", (18, 130), "Electric Kettle|Kettle|Gooseneck Kettle|Tea Kettle|Electric Water Kettle",
  "water boiler|hot water jug|tea boiler|jug kettle", stuff="Tea Maker with Auto Shut-Off|Cordless Tea Pot",
  colours=KITCHEN_COLOURS, feats="temperature control .4, keep warm .35",
  specs={"capacity": "0.8 L=0.8=0.8L|1.0 L=1.0=1L|1.5 L=1.5=1.5 Liter|1.7 L=1.7=1.7L", "power": "1200 W|1500 W|1500 W", "body": "stainless steel|borosilicate glass|BPA-free plastic",
         "safety": "auto shut-off and boil-dry protection"},
  tspecs="capacity", uses="pour-over coffee|green tea at the right temperature|instant oatmeal at the office|a quick cup of tea",
  naming="appliance", care="Descale with citric acid every few weeks in hard-water areas.", weight=1.1)
T("Home & Kitchen", "travel mug", (10, 45), "Travel Mug|Insulated Tumbler|Coffee Tumbler|Vacuum Insulated Mug|Travel Coffee Mug",
  "thermos cup|to go cup|commuter cup|coffee cup for the car|keep cup", stuff="Stainless Steel Coffee Cup with Lid|Reusable Coffee Cup",
  colours="Black|Stainless Steel|Navy|Sage Green|Cream|Red|Lavender|Ocean Blue|Matte Black", mats="double-wall stainless steel>steel",
  feats="insulated 1.0, leak-proof .7, dishwasher-safe .35",
  specs={"capacity": "12 oz=12=12 oz|16 oz=16=16oz|20 oz=20=20 Oz|30 oz=30=30 oz", "keeps drinks hot": "up to 6 hours=6|up to 8 hours=8|up to 12 hours=12", "keeps drinks cold": "up to 24 hours"},
  tspecs="capacity", uses="the morning commute|long drives|the school run|desk coffee that stays hot", naming="line", weight=1.1,
  care="Hand wash the body; the lid is top-rack dishwasher safe.", always="keeps drinks hot|capacity")
T("Home & Kitchen", "vacuum flask", (15, 60), "Vacuum Flask|Insulated Flask|Stainless Steel Vacuum Flask|Insulated Bottle with Cup",
  "thermos|hot drinks flask|thermos bottle|soup flask", colours="Black|Stainless Steel|Forest Green|Navy|Red|Sand",
  mats="18/8 stainless steel>steel", feats="insulated 1.0, leak-proof .8",
  specs={"capacity": "500 ml=0.5=500ml|750 ml=0.75=750ml|1 L=1.0=1 Liter|1.2 L=1.2=1.2L", "keeps drinks hot": "up to 12 hours=12|up to 18 hours=18|up to 24 hours=24", "lid": "doubles as a cup|stopper lid with cup"},
  tspecs="capacity", uses="camping trips|long hikes in winter|the job site|fishing at dawn", naming="line", care="Hand wash only.", always="keeps drinks hot|capacity")
T("Home & Kitchen", "coffee mug", (7, 24), "Coffee Mug|Ceramic Mug|Mug Set|Mug|Coffee Mugs",
  "tea cup|cuppa mug|mugs for tea", colours="White|Cream|Sage Green|Navy|Black|Speckled Cream|Terracotta|Multicolor",
  mats="ceramic>ceramic|stoneware>stoneware|porcelain>porcelain", feats="dishwasher-safe .8",
  specs={"capacity": "12 oz|14 oz|16 oz|20 oz", "microwave": "microwave safe"}, tspecs="capacity", packs="1|2|4|4|6",
  uses="slow weekend mornings|the office|a housewarming gift", naming="line", care="Dishwasher and microwave safe.")
T("Home & Kitchen", "food storage containers", (10, 35), "Food Storage Containers|Meal Prep Containers|Food Storage Set|Food Containers with Lids",
  "tupperware|lunch boxes|leftover containers|meal prep boxes", colours="Clear|Grey|Sage Green|Multicolor|Black",
  mats="borosilicate glass>glass|BPA-free plastic>plastic|stainless steel>steel", feats="leak-proof .6, dishwasher-safe .7",
  specs={"freezer and microwave": "freezer, microwave and oven safe|freezer and microwave safe|freezer safe"}, packs="5|10|12|24|18",
  uses="weekly meal prep|packed lunches|leftovers", naming="none", care="Dishwasher safe; lids top rack only.")

FURN_COLOURS = "Walnut|Natural Oak|Light Oak|White|Black|Grey|Charcoal|Navy|Sage Green|Cream|Espresso|Cognac"
FREIGHT = "Ships by freight in 7-10 business days; room-of-choice delivery available.|Arrives flat-packed; assembly takes about 30 minutes.|Assembly required; all tools included."
T("Furniture", "office chair", (80, 700), "Office Chair|Desk Chair|Task Chair|Computer Chair|Executive Chair",
  "work chair|study chair|swivel chair|chair for working from home", stuff="Home Office Computer Desk Chair|Rolling Chair with Wheels",
  colours="Black|Grey|Charcoal|White|Navy|Cognac|Sage Green", mats="breathable mesh>mesh|bonded leather>leather|fabric>fabric|faux leather>leather",
  feats="lumbar support .6, ergonomic .5",
  specs={"armrests": "4D adjustable armrests|flip-up armrests|fixed armrests", "headrest": "adjustable headrest||", "max load": "250 lb=250|300 lb=300|400 lb=400", "recline": "tilt lock up to 135°|rocking tilt"},
  uses="long workdays at home|gaming marathons|study sessions|a compact home office", tuse="Home Office, Study",
  naming="furniture", care=FREIGHT, weight=1.1)
T("Furniture", "standing desk", (180, 900), "Standing Desk|Electric Standing Desk|Height Adjustable Desk|Sit Stand Desk|Electric Desk",
  "stand up desk|desk you can stand at|motorized desk|adjustable height table", colours=FURN_COLOURS,
  mats="bamboo top>bamboo|laminate top>laminate|solid wood top>wood", feats="memory presets .6",
  specs={"desktop size": "48 x 24 in=48=48\" x 24\"|55 x 28 in=55=55 x 28 Inch|63 x 30 in=63=63\"|72 x 30 in=72=72 x 30\"", "height range": "28-47 in|25-50 in|29-48 in",
         "motor": "single motor|dual motor", "cable tray": "cable management tray||"},
  tspecs="desktop size|motor", uses="working from home|a healthier workday|gaming setups", naming="furniture", care=FREIGHT, tier="desktop size")
T("Furniture", "bookshelf", (50, 400), "Bookshelf|Bookcase|Shelving Unit|Ladder Shelf|Open Bookcase",
  "book rack|shelves for books|storage shelves|book stand", colours=FURN_COLOURS,
  mats="solid wood>wood|engineered wood>wood|metal and wood>metal|bamboo>bamboo",
  specs={"shelves": "3 shelves=3=3-Shelf|4 shelves=4=4-Tier|5 shelves=5=5-Shelf|6 shelves=6=6 Tier", "height": "36 in|59 in|71 in|79 in"},
  tspecs="shelves", uses="a growing book collection|a home office|displaying plants and photos", naming="furniture", care=FREIGHT)
T("Furniture", "sofa", (350, 2200), "Sofa|Upholstered Sofa|Modern Sofa|Mid-Century Sofa|Living Room Sofa",
  "couch|settee|lounge suite|chesterfield", stuff="Living Room Furniture|Comfy Sofa for Apartment",
  colours="Grey|Charcoal|Navy|Sage Green|Cream|Oatmeal|Cognac|Mustard|Burnt Orange|Blush",
  mats="velvet>velvet|linen blend>linen|performance fabric>fabric|top-grain leather>leather|boucle>boucle",
  feats="", dims={"seating": "2-seater|3-seater|3-seater|sectional"}, tdims="seating",
  specs={"width": "72 in|84 in|90 in|112 in", "cushions": "removable, washable cushion covers|feather-wrapped foam cushions|high-resilience foam cushions", "sleeper": "pull-out sleeper||||"},
  uses="small apartments|family movie nights|hosting guests|open-plan living rooms", naming="furniture", care=FREIGHT, weight=0.9)
T("Furniture", "bed frame", (120, 1100), "Bed Frame|Platform Bed|Platform Bed Frame|Bed Frame with Headboard|Panel Bed",
  "bed base|bedstead|divan|bed with slats", colours=FURN_COLOURS, mats="solid wood>wood|metal>metal|upholstered fabric>fabric|velvet>velvet",
  dims={"bed size": "twin|full|queen|queen|king"}, tdims="bed size",
  specs={"storage options": "under-bed drawers|under-bed storage clearance||", "box spring": "no box spring needed"},
  uses="a guest room|a small bedroom|kids growing out of a toddler bed", naming="furniture", care=FREIGHT)
T("Furniture", "dining chair", (60, 450), "Dining Chairs|Dining Chair|Kitchen Chairs|Side Chairs|Dining Room Chairs",
  "kitchen table chairs|dinner chairs|chairs for dining table", colours=FURN_COLOURS,
  mats="solid wood>wood|metal>metal|velvet>velvet|woven rattan>rattan|molded plastic>plastic",
  packs="2|2|4|4|6", uses="dinner parties|a breakfast nook|everyday family meals", naming="furniture", care=FREIGHT)
T("Furniture", "coffee table", (60, 600), "Coffee Table|Cocktail Table|Center Table|Living Room Coffee Table",
  "sofa table|lounge table|table for living room", colours=FURN_COLOURS + "|White",
  mats="solid wood>wood|marble top>marble|tempered glass>glass|metal frame>metal|engineered wood>wood",
  specs={"storage options": "hidden storage|lower shelf|", "size": "36 in round|42 x 24 in|48 x 24 in"},
  uses="small living rooms|movie nights|displaying books and plants", naming="furniture", care=FREIGHT)
T("Furniture", "tv stand", (60, 500), "TV Stand|Media Console|Entertainment Center|TV Console|Media Cabinet",
  "television cabinet|tv unit|tv bench|tv table", colours=FURN_COLOURS,
  mats="engineered wood>wood|solid wood>wood|metal and wood>metal",
  specs={"fits tvs up to": "55 inch=55=for TVs up to 55\"|65 inch=65=for TVs up to 65 Inch|75 inch=75=for TVs up to 75\"", "storage options": "2 cabinets and open shelves|sliding doors|drawers and cable holes"},
  tspecs="fits tvs up to", uses="a living room setup|gaming consoles and streaming boxes|a bedroom TV", naming="furniture", care=FREIGHT, tier="fits tvs up to")

BEAUTY_CARE = "Patch test before first use.|For external use only.|Store below 30°C, away from direct sunlight."
T("Beauty", "moisturizer", (10, 90), "Moisturizer|Face Moisturizer|Daily Face Cream|Hydrating Cream|Gel Moisturizer",
  "face lotion|moisturiser|day cream|lotion for face|hydrator", colours="", feats="fragrance-free .4, non-comedogenic .4, vegan .3",
  specs={"size": "1.7 fl oz (50 ml)=50=1.7 oz|2.5 fl oz (75 ml)=75=2.5 Fl Oz|3.4 fl oz (100 ml)=100=3.4 oz", "spf": "SPF 30=30=SPF 30||",
         "key ingredients": "hyaluronic acid and ceramides|niacinamide and squalane|shea butter and glycerin|aloe and green tea"},
  dims={"skin type": "dry skin|oily skin|sensitive skin|combination skin|all skin types"}, tdims="skin type",
  tspecs="size|spf", uses="morning routines under makeup|winter dryness|post-shave soothing", naming="beauty", care=BEAUTY_CARE, weight=1.1)
T("Beauty", "shampoo", (6, 45), "Shampoo|Hair Shampoo|Daily Shampoo|Clarifying Shampoo|Nourishing Shampoo",
  "hair wash|hair soap|shampo|hair cleanser", feats="sulfate-free .5, vegan .3, fragrance-free .15",
  specs={"size": "8.5 fl oz (250 ml)=250=8.5 Fl Oz|12 fl oz (355 ml)=355=12 oz|16.9 fl oz (500 ml)=500=16.9 oz|33.8 fl oz (1 L)=1000=33.8 Fl Oz",
         "scent": "unscented|lavender|citrus|coconut|eucalyptus mint"},
  dims={"hair type": "oily hair|dry hair|curly hair|color-treated hair|fine hair|all hair types"}, tdims="hair type",
  tspecs="size", packs="1|1|1|2|3", uses="daily washing|post-gym showers|color-treated hair", naming="beauty", care=BEAUTY_CARE)
T("Beauty", "conditioner", (6, 45), "Conditioner|Hair Conditioner|Daily Conditioner|Moisturizing Conditioner|Detangling Conditioner",
  "hair softener|creme rinse|hair rinse", feats="sulfate-free .4, vegan .3, fragrance-free .15",
  specs={"size": "8.5 fl oz (250 ml)=250=8.5 Fl Oz|12 fl oz (355 ml)=355=12 oz|16.9 fl oz (500 ml)=500=16.9 oz", "scent": "unscented|lavender|citrus|coconut|rose"},
  dims={"hair type": "dry hair|curly hair|color-treated hair|fine hair|all hair types"}, tdims="hair type", tspecs="size", packs="1|1|2",
  uses="frizz control|detangling after swimming", naming="beauty", care=BEAUTY_CARE)
T("Beauty", "sunscreen", (8, 50), "Sunscreen|Sunscreen Lotion|Broad Spectrum Sunscreen|Face Sunscreen|Sunscreen Stick",
  "sunblock|sun cream|spf lotion|suncream|sun lotion", feats="fragrance-free .4, reef-safe .4, water-resistant .5, non-comedogenic .3",
  specs={"spf": "SPF 30=30=SPF 30|SPF 50=50=SPF 50|SPF 50+=55=SPF 50+|SPF 15=15=SPF 15", "filter": "mineral (zinc oxide)|chemical filters|hybrid mineral and chemical",
         "size": "1.7 fl oz (50 ml)=50=1.7 oz|3 fl oz (89 ml)=89=3 oz|5 fl oz (148 ml)=148=5 Fl Oz", "water resistance": "80 minutes|40 minutes|"},
  dims={"skin type": "sensitive skin|oily skin|all skin types|dry skin"}, tdims="skin type",
  tspecs="spf|size", packs="1|1|2", uses="beach days|everyday face protection under makeup|outdoor sports|kids at the pool",
  naming="beauty", care=BEAUTY_CARE, weight=1.1)
T("Beauty", "lipstick", (8, 45), "Lipstick|Lip Stick|Lip Colour|Bullet Lipstick",
  "lippie|lip paint|lip color", colours="Ruby Red|Classic Red|Nude|Berry|Coral|Mauve|Blush|Plum|Brick|Dusty Rose",
  feats="vegan .4", dims={"finish": "matte|satin|cream|gloss"}, tdims="finish",
  specs={"wear": "up to 8 hours=8|up to 12 hours=12|up to 16 hours=16", "ingredients": "shea butter and vitamin E|jojoba oil|hyaluronic acid"},
  uses="everyday wear|weddings|date night|the office", naming="beauty", packs="1|1|1|3", care=BEAUTY_CARE)
T("Beauty", "face serum", (12, 110), "Face Serum|Serum|Facial Serum|Skin Serum",
  "skin booster|glow drops|ampoule|face oil", feats="fragrance-free .4, vegan .3, non-comedogenic .3",
  dims={"key ingredient": "vitamin C|retinol|niacinamide|hyaluronic acid|peptides"}, tdims="key ingredient",
  specs={"size": "1 fl oz (30 ml)=30=1 oz|0.5 fl oz (15 ml)=15=0.5 Fl Oz|1.7 fl oz (50 ml)=50=1.7 oz", "skin type": "all skin types|dry skin|oily skin|sensitive skin"},
  tspecs="size", uses="dark spots|fine lines|dull winter skin|uneven texture", naming="beauty", care=BEAUTY_CARE)
T("Beauty", "body wash", (5, 25), "Body Wash|Shower Gel|Moisturizing Body Wash|Foaming Body Wash",
  "shower soap|bath soap|liquid soap for shower", feats="fragrance-free .2, vegan .3, sulfate-free .3",
  specs={"size": "16 fl oz (473 ml)=473=16 oz|22 fl oz (650 ml)=650=22 Fl Oz|33.8 fl oz (1 L)=1000=33.8 oz", "scent": "eucalyptus|shea and vanilla|citrus|sandalwood|unscented|coconut"},
  tspecs="size|scent", packs="1|1|2|3", uses="daily showers|post-workout|dry winter skin", naming="beauty", care=BEAUTY_CARE)

SPORT_COLOURS = "Black|Ocean Blue|Cobalt|Forest Green|Burnt Orange|Purple|Grey|Charcoal|Teal|Red|Sand|Lavender|Sage Green"
T("Sports & Outdoors", "yoga mat", (15, 120), "Yoga Mat|Exercise Mat|Pilates Mat|Workout Mat|Yoga Mat with Strap",
  "gym mat|floor mat for stretching|mat for pilates class|yoga carpet", colours=SPORT_COLOURS + "|Blush|Dusty Rose",
  mats="natural rubber>rubber|TPE>tpe|PVC>pvc|cork and natural rubber>cork", feats="slip-resistant .7, lightweight .3",
  specs={"thickness": "4 mm=4=4mm|6 mm=6=6mm|8 mm=8=8mm|10 mm=10=10mm", "dimensions": "72 x 24 in|72 x 26 in|80 x 26 in", "alignment lines": "laser-etched alignment lines||"},
  tspecs="thickness|dimensions", uses="hot yoga|home workouts|pilates classes|stretching after runs", tuse="Yoga, Pilates, Floor Exercises",
  naming="line", care="Wipe down with mild soap and water; air dry out of direct sun.")
T("Sports & Outdoors", "camping tent", (50, 600), "Camping Tent|Tent|Dome Tent|Outdoor Tent|Cabin Tent",
  "camping shelter|pop up shelter|tent for festival|family camping shelter", colours="Forest Green|Grey|Burnt Orange|Sand|Ocean Blue|Olive",
  mats="ripstop polyester>polyester|silnylon>nylon|polyester taffeta>polyester", feats="waterproof .7, lightweight .3",
  specs={"capacity": "1-person=1=1 Person|2-person=2=2-Person|3-person=3=3 Person|4-person=4=4-Person|6-person=6=6 Person|8-person=8=8-Person",
         "season": "3-season=3|3-season=3|4-season=4", "packed weight": "1.3 kg=1.3|2.2 kg=2.2|4.6 kg=4.6|8.4 kg=8.4", "setup": "freestanding, 5-minute setup|instant pop-up frame|color-coded poles",
         "rainfly": "2000 mm rainfly|3000 mm rainfly|1500 mm rainfly"},
  tspecs="capacity|season", uses="family camping trips|backpacking|music festivals|car camping", naming="outdoor",
  care="Dry fully before packing away to prevent mildew.", tier="capacity")
T("Sports & Outdoors", "sleeping bag", (30, 300), "Sleeping Bag|Camping Sleeping Bag|Backpacking Sleeping Bag|Mummy Sleeping Bag",
  "sleep sack|bed roll|camping bag for sleeping|bivvy bag", colours="Forest Green|Navy|Burnt Orange|Charcoal|Ocean Blue|Red",
  mats="650-fill down>down|synthetic insulation>synthetic|800-fill down>down", feats="lightweight .4, water-resistant .3",
  specs={"temperature rating": "0°F=0=0 Degree|15°F=15=15°F|20°F=20=20 Degree|30°F=30=30°F|40°F=40=40 Degree", "packed weight": "0.9 kg|1.4 kg|2 kg", "stuff sack": "compression stuff sack"},
  tspecs="temperature rating", uses="winter camping|summer festivals|backpacking trips|sleepovers", naming="outdoor",
  care="Store loose, not compressed; wash with down-specific soap.")
T("Sports & Outdoors", "dumbbells", (15, 400), "Dumbbells|Dumbbell Set|Dumbbell|Workout Dumbbells",
  "hand weights|free weights|weights for home gym|db set", colours="Black|Grey|Purple|Ocean Blue|Sage Green|Blush",
  mats="neoprene coated>neoprene|cast iron>iron|rubber hex>rubber|chrome>chrome",
  specs={"weight": "3 lb=3=3 lb|5 lb=5=5 Lb|10 lb=10=10 lb|15 lb=15=15 Lb|20 lb=20=20lb|25 lb=25=25 lb|52.5 lb adjustable=52.5=52.5 lb"}, tspecs="weight",
  packs="1|2|2|2", uses="home workouts|strength training|rehab exercises", naming="line", care="Wipe clean after use.", tier="weight")
T("Sports & Outdoors", "water bottle", (8, 50), "Water Bottle|Sports Water Bottle|Drinking Bottle|Hydration Bottle|Gym Water Bottle",
  "drinks bottle|canteen|drink bottle|reusable bottle", colours=SPORT_COLOURS + "|White|Blush",
  mats="18/8 stainless steel>steel|BPA-free Tritan>plastic|glass with silicone sleeve>glass", feats="insulated .5, leak-proof .7, dishwasher-safe .3",
  specs={"capacity": "500 ml=0.5=17 oz|750 ml=0.75=25 oz|32 oz=0.95=32 oz|40 oz=1.18=40 Oz|1 L=1.0=1 Liter", "keeps drinks cold": "up to 24 hours=24|up to 24 hours=24|", "lid": "straw lid|chug cap|flip spout"},
  tspecs="capacity", uses="the gym|hiking|school|long office days", tuse="Gym, Sports, Outdoor", naming="line",
  care="Hand wash recommended.")
T("Sports & Outdoors", "hiking backpack", (35, 280), "Hiking Backpack|Daypack|Trekking Backpack|Backpacking Pack|Hiking Daypack",
  "rucksack|knapsack|bag for hiking|trail bag", colours="Black|Forest Green|Burnt Orange|Charcoal|Navy|Olive|Teal",
  mats="ripstop nylon>nylon|recycled polyester>polyester|Cordura>nylon", feats="lightweight .4, water-resistant .5",
  specs={"capacity": "20 L=20=20L|28 L=28=28L|35 L=35=35 Liter|45 L=45=45L|65 L=65=65 Liter", "rain cover": "integrated rain cover||", "hydration": "hydration sleeve|hydration sleeve|", "hip belt": "padded hip belt|removable hip belt|"},
  tspecs="capacity", uses="day hikes|multi-day treks|travel|weekend trips", naming="outdoor",
  care="Spot clean; hang to dry.", tier="capacity")
T("Sports & Outdoors", "running cap", (12, 40), "Running Cap|Running Hat|Performance Cap|Sport Cap|Lightweight Running Cap",
  "visor|jogging hat|baseball hat for running|sports hat", gender="uuuwm", colours=SPORT_COLOURS + "|White|Hi-Vis Yellow",
  mats="recycled polyester>polyester|nylon>nylon", feats="breathable .8, quick-dry .8, reflective .4, moisture-wicking .5",
  specs={"sun protection": "UPF 50+=50=UPF 50+|UPF 50+=50=UPF 50+|UPF 30=30=UPF 30|", "fit": "adjustable strap|stretch fit"},
  tspecs="sun protection", uses="summer races|sunny long runs|trail running|tennis", tuse="Running, Tennis, Golf", naming="line",
  care="Hand wash; air dry.", always="sun protection")
T("Sports & Outdoors", "trekking poles", (20, 150), "Trekking Poles|Hiking Poles|Walking Poles|Trekking Pole Set",
  "walking sticks|hiking sticks|nordic poles", colours="Black|Ocean Blue|Burnt Orange|Forest Green|Grey",
  mats="aluminum>aluminum|carbon fiber>carbon", feats="collapsible .7, lightweight .5",
  specs={"grips": "cork grips|EVA foam grips|rubber grips", "length": "24-53 in adjustable|39-51 in adjustable"}, packs="2|2|1",
  uses="steep descents|multi-day treks|snowshoeing", naming="outdoor", care="Dry the sections before storing.")
T("Sports & Outdoors", "headlamp", (10, 80), "Headlamp|LED Headlamp|Head Lamp|Running Headlamp",
  "head torch|head light|flashlight for your head|forehead light", colours="Black|Ocean Blue|Burnt Orange|Red|Hi-Vis Yellow",
  feats="rechargeable .6, waterproof .4",
  specs={"brightness": "300 lumens=300=300 Lumens|450 lumens=450=450 Lumen|800 lumens=800=800 Lumens|1200 lumens=1200=1200 Lumen", "run time": "up to 40 hours on low|up to 100 hours on low|up to 6 hours on high", "modes": "red light and strobe modes|5 modes"},
  tspecs="brightness", packs="1|1|2", uses="night hikes|early-morning runs|power cuts|camping", naming="outdoor", care="", tier="brightness")
T("Sports & Outdoors", "bike helmet", (25, 200), "Bike Helmet|Cycling Helmet|Bicycle Helmet|Road Bike Helmet|Commuter Helmet",
  "bike lid|cycle helmet|helmet for biking|skate helmet", gender="uuuk", sizes="=S (51-55 cm)|M (55-59 cm)|L (59-63 cm)",
  colours="Black|White|Matte Black|Ocean Blue|Hi-Vis Yellow|Red|Sage Green",
  feats="lightweight .4, reflective .3", specs={"protection": "MIPS rotational protection||", "vents": "14 vents|18 vents|22 vents", "light": "integrated rear light||"},
  uses="commuting|road rides|mountain biking|kids learning to ride", naming="outdoor", care="Replace after any crash.")

TOY_THEMES = "space|dinosaur|city|castle|vehicles|animals|fantasy|ocean|robots"
T("Toys & Games", "building blocks set", (12, 160), "Building Set|Building Blocks|Building Kit|Brick Set|Construction Set",
  "building bricks|toy bricks|stacking blocks|blocks for kids", colours="Multicolor", feats="stem .4",
  specs={"pieces": "120 pieces=120=120 Pieces|250 pieces=250=250 Pcs|512 pieces=512=512 Pieces|1,050 pieces=1050=1050 Pcs"},
  dims={"theme": TOY_THEMES}, tspecs="pieces", uses="rainy afternoons|birthday gifts|building with a parent",
  ages="ages 3+=3=8|ages 5+=5=12|ages 6+=6=12|ages 8+=8=14|ages 10+=10=16|ages 14+=14=99|adults=18=99", naming="toy", weight=1.2,
  care="Compatible with all major brick brands.|Contains small parts; not for children under 3.", tier="pieces")
T("Toys & Games", "board game", (12, 80), "Board Game|Strategy Game|Family Game|Tabletop Game|Cooperative Board Game",
  "boardgame|table game|game for game night|family games night", colours="Multicolor",
  specs={"players": "2-4 players=4=2-4 Players|2-6 players=6=2-6 Players|3-8 players=8=3-8 Players|1-5 players=5=1-5 Players", "play time": "20 minutes|30-45 minutes|60-90 minutes|2 hours"},
  dims={"theme": "space|dinosaur|fantasy|animals|mystery|trains|farming"}, tspecs="players", uses="family game night|parties|rainy weekends|date night",
  ages="ages 5+=5=99|ages 8+=8=99|ages 10+=10=99|ages 12+=12=99|ages 14+=14=99", naming="toy")
T("Toys & Games", "jigsaw puzzle", (8, 45), "Jigsaw Puzzle|Puzzle|Jigsaw|Jigsaw Puzzles",
  "picture puzzle|puzzles for grown ups", colours="Multicolor",
  specs={"pieces": "100 pieces=100=100 Piece|300 pieces=300=300 Pieces|500 pieces=500=500 Piece|1000 pieces=1000=1000 Pieces|1500 pieces=1500=1500 Piece|2000 pieces=2000=2000 Pieces",
         "finished size": "19 x 27 in|20 x 28 in|12 x 18 in"},
  dims={"theme": "landscape|animals|space|vintage map|art|dinosaur|ocean"}, tspecs="pieces", uses="quiet evenings|family holidays|a gift for grandparents",
  ages="ages 4+=4=99|ages 6+=6=99|ages 8+=8=99|ages 12+=12=99|adults=18=99", naming="toy", weight=0.9)
T("Toys & Games", "plush toy", (6, 50), "Plush Toy|Stuffed Animal|Plushie|Soft Toy|Plush",
  "teddy|cuddly toy|snuggle toy|stuffy", colours="Multicolor|Grey|Brown|Pink|Sage Green|Ocean Blue|Lavender",
  feats="", specs={"height": "8 inch=8=8\"|12 inch=12=12 Inch|18 inch=18=18\"|24 inch=24=24 Inch", "washable": "machine washable||"},
  dims={"theme": "animals|dinosaur|unicorn|space|ocean|fantasy"}, tspecs="height", uses="bedtime cuddles|baby showers|birthday gifts",
  ages="ages 0+=0=99|ages 3+=3=99|ages 3+=3=99", naming="toy")
T("Toys & Games", "remote control car", (20, 200), "Remote Control Car|RC Car|RC Truck|Remote Control Monster Truck|RC Off-Road Car",
  "radio controlled car|toy car with remote|r/c car|remote car", colours="Red|Ocean Blue|Hi-Vis Yellow|Black|Burnt Orange|Forest Green",
  feats="rechargeable .8, waterproof .3",
  specs={"top speed": "15 mph=15=15 MPH|20 mph=20=20 MPH|30 mph=30=30 MPH|40 mph=40=40+ MPH", "scale": "1:16|1:18|1:10|1:14", "run time": "up to 40 minutes|up to 25 minutes", "drive": "4WD|2WD"},
  dims={"theme": "vehicles|vehicles|vehicles|dinosaur|space"}, tspecs="top speed|scale", uses="backyard racing|birthday gifts|off-road fun at the park",
  ages="ages 6+=6=99|ages 8+=8=99|ages 14+=14=99", naming="toy")
T("Toys & Games", "science kit", (15, 70), "Science Kit|STEM Kit|Experiment Kit|Science Lab Kit|Science Experiment Kit",
  "experiment set for kids|science set|educational kit", colours="Multicolor", feats="stem .95",
  dims={"theme": "space|dinosaur|chemistry|robotics|crystals|volcanoes"},
  specs={"experiments": "20 experiments=20|30 experiments=30|50 experiments=50"}, uses="rainy weekends|homeschool science|birthday gifts",
  ages="ages 5+=5=10|ages 6+=6=12|ages 8+=8=14|ages 10+=10=14", naming="toy", care="Adult supervision required.")
T("Toys & Games", "toy figures", (8, 40), "Figure Set|Toy Figures|Action Figures|Figure Playset|Toy Playset",
  "figurines|toy animals|play figures|small toys", colours="Multicolor",
  dims={"theme": "dinosaur|animals|space|fantasy|ocean|farm"}, specs={"figures": "6 figures=6=6 Pcs|12 figures=12=12 Piece|24 figures=24=24 Pieces|1 large figure=1="},
  tspecs="figures", uses="imaginative play|party favors|cake toppers",
  ages="ages 3+=3=10|ages 4+=4=12|ages 6+=6=14", naming="toy")

T("Grocery", "coffee beans", (8, 45), "Whole Bean Coffee|Coffee Beans|Espresso Beans|Whole Bean Coffee Blend",
  "java beans|coffee seeds|beans for espresso machine|fresh roast beans", feats="organic .35, fair trade .35, decaf .15",
  specs={"net weight": "12 oz bag=12=12 oz|1 lb bag=16=1 lb|2 lb bag=32=2 lb|5 lb bag=80=5 lb", "tasting notes": "chocolate and caramel|citrus and floral|berry and cocoa|toasted nuts and brown sugar", "origin": "Colombia|Ethiopia|Brazil|Guatemala|Sumatra|blend"},
  dims={"roast": "light roast|medium roast|dark roast|espresso roast"}, tdims="roast", tspecs="net weight|origin", packs="1|1|1|2",
  uses="espresso machines|French press|pour-over", naming="grocery", care="Store in a cool, dark place; best within 4 weeks of opening.", weight=1.1, tier="net weight")
T("Grocery", "ground coffee", (6, 35), "Ground Coffee|Coffee Grounds|Pre-Ground Coffee|Ground Coffee Blend",
  "filter coffee|coffee powder|coffee for drip machine", feats="organic .3, fair trade .3, decaf .2",
  specs={"net weight": "10 oz bag=10=10 oz|12 oz bag=12=12 oz|24 oz can=24=24 oz|2 lb bag=32=2 lb", "grind": "medium grind for drip|coarse grind for French press|fine grind for espresso"},
  dims={"roast": "light roast|medium roast|dark roast"}, tdims="roast", tspecs="net weight", packs="1|1|2|3",
  uses="drip coffee makers|French press|cold brew", subs="coffee beans", naming="grocery", care="Reseal after opening.", tier="net weight")
T("Grocery", "green tea", (3, 15), "Green Tea|Organic Green Tea|Japanese Green Tea|Green Tea Blend",
  "japanese tea|chinese tea|green tea leaves|healthy tea", feats="organic .4, decaf .15",
  dims={"form": "tea bags|loose leaf|matcha powder"}, tdims="form",
  specs={"pack contents": "20 tea bags=20=20 Count|100 tea bags=100=100 Tea Bags|3.5 oz loose==3.5 oz|1 oz tin==1 oz", "flavor": "jasmine|mint|pure sencha|ginger lemon|genmaicha"},
  tspecs="pack contents|flavor", packs="1|1|3|6", uses="afternoon pick-me-ups|iced lattes|a calm evening", naming="grocery")
T("Grocery", "olive oil", (7, 40), "Extra Virgin Olive Oil|Olive Oil|Cold Pressed Olive Oil|Extra Virgin Olive Oil Cold Extracted",
  "evoo|cooking oil|salad oil|oil for salad", feats="organic .3",
  specs={"size": "500 ml=500=500ml|750 ml=750=750 ml|1 L=1000=1 Liter|3 L tin=3000=3 Liter Tin|16.9 fl oz=500=16.9 Fl Oz", "origin": "Italy|Greece|Spain|California|Tunisia|Portugal", "harvest": "early harvest|current harvest"},
  tspecs="size|origin", packs="1|1|2", uses="salad dressings|dipping bread|roasting vegetables", naming="grocery", tier="size")
T("Grocery", "dark chocolate", (2, 7), "Dark Chocolate Bar|Dark Chocolate|Chocolate Bar|Dark Chocolate Bars",
  "choc bar|choccy|cocoa bar|bitter chocolate", feats="vegan .5, fair trade .4, gluten-free .3, organic .3",
  specs={"cacao": "70% cacao=70=70% Cacao|72% cacao=72=72%|85% cacao=85=85% Cacao|90% cacao=90=90%", "bar weight": "3.5 oz (100 g)|2.8 oz (80 g)|1.4 oz (40 g)"},
  dims={"flavor": "sea salt|mint|orange|almond|original|raspberry"}, tdims="flavor", tspecs="cacao", packs="1|4|10|12|12",
  uses="an afternoon treat|baking|gift baskets", naming="grocery", care="Store below 68°F.")
T("Grocery", "protein bars", (8, 20), "Protein Bars|Protein Bar|Protein Snack Bar|High Protein Bars",
  "energy bars|snack bars|meal replacement bars|gym snacks|muscle bars", feats="gluten-free .5, vegan .3",
  specs={"protein": "12g protein=12=12g Protein|15g protein=15=15g Protein|20g protein=20=20g Protein", "sugar": "1g sugar|4g sugar|8g sugar"},
  dims={"flavor": "chocolate peanut butter|cookies and cream|salted caramel|chocolate chip|birthday cake|peanut butter"}, tdims="flavor",
  tspecs="protein", packs="12|12|6|24|15", uses="post-workout fuel|hiking snacks|busy mornings", naming="grocery", weight=1.1)
T("Grocery", "mixed nuts", (6, 30), "Mixed Nuts|Roasted Mixed Nuts|Deluxe Mixed Nuts|Nut Mix",
  "nut selection|party nuts|cocktail nuts", feats="organic .2, vegan 1.0, gluten-free .5",
  specs={"net weight": "10 oz=10=10 oz|16 oz=16=1 lb|30 oz=30=30 oz|40 oz=40=40 Oz", "salt": "lightly salted|unsalted|sea salt"},
  tspecs="net weight|salt", packs="1|1|2", uses="snacking|parties|lunch boxes", naming="grocery")

PET_COLOURS = "Grey|Brown|Beige|Navy|Sage Green|Charcoal|Cream|Blush"
T("Pet Supplies", "dog food", (12, 90), "Dry Dog Food|Dog Food|Dog Food Recipe|Dry Dog Food Formula",
  "kibble|dog chow|doggy food|dog biscuits", feats="grain-free .35",
  dims={"life stage": "puppy|adult|adult|senior", "breed size": "small breed|large breed|all breeds|all breeds", "flavor": "chicken and brown rice|salmon and sweet potato|lamb and rice|beef and barley|turkey"},
  tdims="life stage|flavor|breed size", specs={"bag size": "4 lb=4=4 lb|15 lb=15=15 lb Bag|24 lb=24=24 lb|30 lb=30=30 lb Bag", "protein": "26% protein|30% protein|24% protein"},
  tspecs="bag size", uses="everyday feeding|picky eaters|sensitive stomachs", naming="grocery", weight=1.1, tier="bag size")
T("Pet Supplies", "cat food", (8, 45), "Cat Food|Cat Food Recipe|Cat Food Formula",
  "kitty food|cat chow|kitty dinner", feats="grain-free .4",
  dims={"form": "dry|wet|wet", "life stage": "kitten|adult|adult|senior", "flavor": "chicken|salmon|tuna|turkey and giblets|ocean fish"},
  tdims="form|life stage|flavor", specs={"size": "3 oz cans==3 oz Cans|5.5 oz cans==5.5 oz|3 lb bag==3 lb|7 lb bag==7 lb", "protein": "high protein|indoor formula|hairball control"},
  tspecs="size", packs="1|1|2", uses="picky cats|indoor cats|kittens growing fast", naming="grocery")
T("Pet Supplies", "cat litter", (8, 40), "Cat Litter|Premium Cat Litter|Litter for Cats|Natural Cat Litter",
  "kitty litter|cat sand|litter box sand|cat toilet litter", feats="clumping .7, odor control .6, fragrance-free .4",
  mats="clay>clay|pine pellets>pine|tofu>tofu|silica crystals>silica|walnut shell>walnut",
  specs={"weight": "10 lb=10=10 lb|20 lb=20=20 lbs|28 lb=28=28 lb|40 lb=40=40 lbs", "dust": "99% dust-free|low dust"}, tspecs="weight",
  uses="multi-cat homes|small apartments|kittens", naming="grocery", tier="weight")
T("Pet Supplies", "dog bed", (20, 180), "Dog Bed|Pet Bed|Bolster Dog Bed|Dog Bed for Crate|Donut Dog Bed",
  "dog cushion|dog mattress|doggy bed|puppy bed", colours=PET_COLOURS, feats="orthopedic .4, memory foam .35, waterproof .25",
  dims={"size": "small|medium|large|x-large"}, tdims="size",
  specs={"fits dogs up to": "25 lb=25|50 lb=50|90 lb=90|120 lb=120", "cover": "removable washable cover|removable washable cover|fixed cover", "base": "non-slip bottom||"},
  uses="senior dogs with sore joints|crate training|anxious pups", naming="pet", care="Cover is machine washable; air dry.")
T("Pet Supplies", "cat tree", (35, 220), "Cat Tree|Cat Tower|Cat Condo|Cat Activity Tree|Cat Tree Tower",
  "cat scratcher|scratching post|cat climbing frame|kitty gym", colours=PET_COLOURS,
  specs={"height": "34 in=34=34 Inch|52 in=52=52\"|61 in=61=61 Inch|72 in=72=72\"", "features": "sisal scratching posts, hammock and condo|sisal posts and top perch|two condos and dangling toys"},
  tspecs="height", uses="indoor cats|multi-cat homes|saving the sofa from scratches", naming="pet", care=FREIGHT, tier="height")
T("Pet Supplies", "chew toy", (4, 20), "Dog Chew Toy|Chew Toy|Dog Toy|Dog Chew Toys",
  "dog bone toy|teething toy|tug toy|dog chewer", colours="Ocean Blue|Red|Burnt Orange|Sage Green|Multicolor",
  mats="natural rubber>rubber|nylon>nylon|cotton rope>rope", feats="durable .6, squeaky .4",
  dims={"pet size": "small dogs|medium dogs|large dogs|puppies"}, specs={"treats": "treat-dispensing||"}, packs="1|1|3|5",
  uses="power chewers|teething puppies|keeping dogs busy while you're out", naming="pet")
T("Pet Supplies", "dog leash", (8, 45), "Dog Leash|Leash|Dog Lead|Dog Leash for Walking|Training Leash",
  "walking rope for dog|dog tether|lead for dogs|puppy lead", colours="Black|Navy|Red|Burnt Orange|Sage Green|Hi-Vis Yellow|Blush",
  mats="nylon webbing>nylon|climbing rope>rope|leather>leather|biothane>biothane", feats="reflective .5",
  specs={"length": "4 ft=4|5 ft=5|6 ft=6|16 ft retractable=16", "handle": "padded handle|traffic handle|"}, uses="daily walks|training|hikes",
  naming="pet")

T("Baby", "stroller", (90, 900), "Stroller|Baby Stroller|Travel Stroller|Jogging Stroller|Full-Size Stroller",
  "pushchair|pram|buggy|baby carriage|pushchair for toddler", colours="Black|Grey|Charcoal|Navy|Sand|Sage Green|Taupe",
  feats="one-hand fold .5, compact fold .4, lightweight .45",
  specs={"weight": "13 lb=13=13 lb|17 lb=17=17 lb|22 lb=22=22 lb|28 lb=28=28 lb", "max child weight": "45 lb|50 lb|55 lb", "car seat": "car seat compatible (travel system)||", "seat": "reversible seat|reclining seat|reclining seat"},
  uses="city sidewalks|travel and flights|jogging|everyday errands", naming="baby", care="Wipe frame clean; seat fabric is hand washable.", weight=1.1)
T("Baby", "car seat", (70, 450), "Car Seat|Baby Car Seat|Child Car Seat|Car Seat for Kids",
  "baby seat for car|child seat|child safety seat|baby car chair", colours="Black|Grey|Charcoal|Navy|Sand|Taupe",
  dims={"stage": "infant|convertible|all-in-one|booster"}, tdims="stage",
  specs={"weight range": "4-35 lb|5-65 lb|5-120 lb|40-120 lb", "installation": "LATCH and seat belt|ISOFIX base included|LATCH", "side impact": "side-impact protection"},
  uses="the hospital ride home|road trips|switching between two cars", naming="baby", care="Never use a seat after a crash; check the expiry date on the base.")
T("Baby", "diapers", (9, 22), "Diapers|Disposable Diapers|Baby Diapers|Diapers Size Pack",
  "nappies|nappy|pull ups|baby nappies", feats="hypoallergenic .5, fragrance-free .5",
  dims={"size": "newborn|size 1|size 2|size 3|size 4|size 5|size 6"}, tdims="size",
  specs={"wetness indicator": "wetness indicator||", "protection": "up to 12 hours overnight protection|day and night protection"},
  packs="84|120|168|198|32", uses="overnight dryness|sensitive skin|newborns", naming="baby")
T("Baby", "baby monitor", (30, 300), "Baby Monitor|Video Baby Monitor|Baby Monitor with Camera|Nursery Monitor",
  "baby cam|nanny cam|crib camera|nursery camera", colours="White|Grey|Sand|Sage Green",
  feats="wi-fi .5, night vision .85",
  specs={"screen": "5 inch display|4.3 inch display|app only", "range": "1000 ft=1000|900 ft=900|unlimited via app=0", "extras": "two-way talk and lullabies|room temperature sensor|two-way talk"},
  uses="naps and nights|keeping an eye on a toddler|travel cots", naming="baby", care="Covered by our 2-year electronics warranty.")
T("Baby", "baby bottles", (9, 28), "Baby Bottles|Feeding Bottles|Baby Bottle Set|Newborn Baby Bottles",
  "infant bottles|milk bottles for baby|nursing bottles|feeding set", colours="Clear|Sage Green|Blush|Sky Blue|Multicolor",
  mats="glass>glass|BPA-free plastic>plastic|silicone>silicone", feats="anti-colic .6, dishwasher-safe .5",
  specs={"capacity": "5 oz=5=5 oz|9 oz=9=9 Oz|11 oz=11=11 oz", "nipple": "slow-flow nipple|medium-flow nipple"},
  tspecs="capacity", packs="2|3|4|6", uses="breastfed babies switching to bottles|formula feeding|daycare", naming="baby")
T("Baby", "baby carrier", (30, 200), "Baby Carrier|Baby Wrap Carrier|Ergonomic Baby Carrier|Baby Carrier Backpack",
  "baby sling|papoose|kangaroo carrier|front carrier", colours="Black|Grey|Navy|Sand|Sage Green|Taupe",
  mats="organic cotton>cotton|breathable 3D mesh>mesh|linen blend>linen",
  specs={"weight range": "7-45 lb|8-35 lb|newborn to 33 lb", "positions": "4 carrying positions|3 carrying positions|6 carrying positions"},
  uses="newborn cuddles|hikes with a toddler|hands-free errands", naming="baby", care="Machine wash cold.")

# category -> brands (with the seller's title habits) and product types
BRANDS: dict[str, list[tuple[str, str]]] = {
    "Footwear": [("Trailborn", "premium"), ("Strideline", "premium"), ("Northpeak", "retail"), ("Urbanfoot", "retail"),
                 ("Cadence", "premium"), ("KOZEEP", "market"), ("Solemate", "market")],
    "Apparel": [("Everthread", "retail"), ("Loomhouse", "premium"), ("Kindred Co.", "retail"), ("Basecamp Wear", "retail"),
                ("Marlow", "premium"), ("Pacelab", "premium"), ("Ficuma", "market"), ("AOMIKY", "market")],
    "Outerwear": [("Northpeak", "premium"), ("Stormline", "premium"), ("Fjordhaus", "premium"), ("Basecamp Wear", "retail"),
                  ("Alpenkit", "retail"), ("WINDROVER", "market")],
    "Electronics": [("Sonique", "premium"), ("Voltra", "premium"), ("Auralis", "premium"), ("Pulsewave", "retail"),
                    ("Kestrel Audio", "premium"), ("Nexa", "retail"), ("TOZVIK", "market"), ("Boltix", "market")],
    "Computers": [("Quantix", "premium"), ("Lumora", "premium"), ("Bytecraft", "retail"), ("Novatek", "retail"),
                  ("Keyzen", "market"), ("ORBIX", "market")],
    "Home & Kitchen": [("Hearthwise", "retail"), ("Copperleaf", "premium"), ("Kitchara", "retail"), ("Brewmaster", "premium"),
                       ("Oakhollow", "retail"), ("HOMLUX", "market"), ("Thermaware", "retail")],
    "Furniture": [("Oakhollow", "retail"), ("Nordvik", "premium"), ("Loftline", "retail"), ("Sitwell", "premium"),
                  ("Homestead & Co.", "retail"), ("Furnova", "market")],
    "Beauty": [("Lumiere Skin", "premium"), ("Verdant", "retail"), ("Pure Botanica", "retail"), ("Dermalux", "premium"),
               ("Glowtique", "market")],
    "Sports & Outdoors": [("Trailborn", "premium"), ("Summit Supply", "retail"), ("Ridgeway", "retail"), ("Peakform", "premium"),
                          ("Pacelab", "premium"), ("GYMORA", "market")],
    "Toys & Games": [("Brightbrick", "premium"), ("Playwell", "retail"), ("Tinker Town", "retail"), ("Jolly Games", "retail"),
                     ("Kidzlane", "market")],
    "Grocery": [("Harvest Lane", "retail"), ("Green Valley", "retail"), ("Cocoa & Co.", "premium"), ("Roastery 88", "premium"),
                ("Nutrivo", "market")],
    "Pet Supplies": [("Happy Paws", "retail"), ("Whisker Works", "retail"), ("Tailwind Pet", "premium"), ("Barkley", "premium"),
                     ("PAWSOME", "market")],
    "Baby": [("Little Nest", "premium"), ("Bloom Baby", "retail"), ("Cubby", "retail"), ("Tinytoes", "retail"),
             ("Lovbaby", "market")],
}
BRAND_PROFILE = {b: p for brands in BRANDS.values() for b, p in brands}

TYPES: dict[str, PType] = {t.name: t for t in _TYPES}
CATEGORIES: dict[str, dict] = {
    category: {
        "brands": [b for b, _ in brands],
        "types": {t.name: t for t in _TYPES if t.category == category},
    }
    for category, brands in BRANDS.items()
}

# --------------------------------------------------------------------------
# Product lines, variants, titles and descriptions
# --------------------------------------------------------------------------

# seller habits: how often each title style is used
STYLE_WEIGHTS = {
    "premium": {"plain": 34, "standard": 34, "spec": 14, "brand_last": 6, "stuffed": 12},
    "retail": {"plain": 16, "standard": 34, "spec": 10, "brand_last": 16, "stuffed": 24},
    "market": {"plain": 3, "standard": 12, "spec": 10, "brand_last": 5, "stuffed": 48, "unbranded": 22},
}
SEPARATORS = [" | ", " - ", ", ", " – ", " / ", " - ", ", "]
PACK_FORMATS = {
    "default": ["(Pack of {n})", "{n}-Pack", "{n} Pack", "Pack of {n}", "({n} Pack)"],
    "count": ["{n} Count", "{n} ct", "Pack of {n}", "{n}-Pack", "Box of {n}", "{n} Count"],
    "set": ["Set of {n}", "{n}-Piece Set", "Pack of {n}", "(Set of {n})"],
    "pairs": ["{n} Pairs", "{n}-Pack", "(Pack of {n})", "{n} Pair Pack"],
}
NAME_WORDS = {
    "tech": ["Pulse", "Aero", "Flow", "Nova", "Echo", "Vibe", "Orbit", "Flex", "Sonic", "Air", "Core", "Edge", "Zen", "Wave",
             "Beat", "Spark", "Halo", "Luma", "Arc", "Fuse", "Bass", "Studio", "Free", "Sync"],
    "shoe": ["Glide", "Tempo", "Ridge", "Apex", "Cloudride", "Swift", "Terra", "Summit", "Drift", "Pace", "Vector", "Stride",
             "Rush", "Boulder", "Canyon", "Harbor", "Metro", "Coast", "Fjord", "Ember", "Talus", "Solace", "Verve"],
    "computer": ["Vista", "Zen", "Aero", "Swift", "Nova", "Prime", "Edge", "Flex", "Studio", "Vivo", "Orion", "Pixel", "Titan"],
    "appliance": ["BrewPro", "CrispAir", "PureBlend", "QuickBoil", "Barista", "Daily", "ChefLine", "Aroma", "Velocity", "Classic"],
    "furniture": ["Halden", "Aster", "Milo", "Bergen", "Solvik", "Fenway", "Arlo", "Hudson", "Linnea", "Oslo", "Tove", "Marlo",
                  "Sana", "Juno", "Vale", "Kira", "Bram", "Edda", "Lund", "Wren"],
    "line": ["Everyday", "Essential", "Heritage", "Tech", "Classic", "Active", "Journey", "Summit", "Aero", "Cloud", "Coastline",
             "Venture", "Motion", "Core", "Breeze", "Urban", "Alpine", "Trek", "Signature", "Pro Series", "Basics"],
    "beauty": ["Hydra Boost", "Daily Defense", "Pure Glow", "Calm Skin", "Barrier Repair", "Dew Drop", "Clear Balance", "Velvet",
               "Silk Touch", "Radiance", "Botanical", "Ultra Gentle"],
    "outdoor": ["Ridgeline", "Basecamp", "Trailhead", "Alpine", "Horizon", "Cascade", "Pioneer", "Tundra", "Switchback", "Ranger"],
    "grocery": ["Morning Blend", "House Blend", "Sunrise", "Reserve", "Select", "Daily", "Classic", "Heritage", "Gold", "Farmhouse"],
    "pet": ["Comfort", "Cozy", "Calm", "Tough", "Adventure", "Snooze", "Everyday", "Vital", "Pure", "Ultra"],
    "baby": ["Cloud", "Breeze", "Voyage", "Snug", "Dream", "Cozy", "Go", "City", "Nest", "Bloom", "Trek"],
}
TOY_NAMES = {
    "dinosaur": ["Dino Discovery", "T-Rex Rampage", "Prehistoric Explorers", "Dino Park Adventure", "Fossil Hunters"],
    "space": ["Galaxy Explorer", "Rocket Launch", "Moon Base", "Star Voyager", "Mars Rover Mission"],
    "city": ["Downtown Fire Station", "City Builders", "Harbor Town"], "castle": ["Knight's Castle", "Royal Fortress"],
    "vehicles": ["Turbo Racer", "Rock Crawler", "Desert Storm", "Street Racer", "Mud Monster"],
    "animals": ["Safari Friends", "Woodland Pals", "Jungle Party", "Zoo Keepers"], "fantasy": ["Dragon Keep", "Enchanted Forest", "Wizard's Tower"],
    "ocean": ["Coral Reef", "Deep Sea Quest", "Ocean Friends"], "robots": ["Robo Builder", "Circuit Bots"],
    "mystery": ["Midnight Manor", "Clue Hunters"], "trains": ["Rail Baron", "Steam Age"], "farming": ["Harvest Valley", "Farm Frenzy"],
    "landscape": ["Alpine Lake", "Tuscan Hills", "Autumn Cabin"], "vintage map": ["Old World Map", "Explorer's Atlas"],
    "art": ["Starry Garden", "Impressionist Blooms"], "unicorn": ["Rainbow Unicorn", "Sparkle Unicorn"],
    "chemistry": ["Mad Lab", "Fizz & Bubble"], "crystals": ["Crystal Cave", "Gem Garden"], "volcanoes": ["Volcano Lab", "Eruption Station"],
    "farm": ["Farmyard Friends", "Barnyard"],
}
DIM_TITLE = {"skin type": "for {v}", "hair type": "for {v}", "pet size": "for {v}"}
SIZE_RENDER = {"shoe_men": "US {lo}-{hi}", "shoe_women": "US {lo}-{hi}", "shoe_kids": "US kids {lo}-{hi}", "apparel": "{lo}-{hi}",
               "apparel_kids": "kids {lo}-{hi}", "waist": "waist {lo}-{hi}"}
GENDER_LETTER = {"m": "men", "w": "women", "k": "kids", "u": "unisex"}


@dataclass(slots=True)
class _Line:
    """A brand's model as one seller lists it; its variants differ in colour, pack or one spec."""

    ptype: PType
    brand: str
    model: str
    noun: str
    gender: str | None
    material: tuple[str, str] | None
    feats: list[str]
    specs: dict[str, tuple[str, float | None, str | None]]
    dims: dict[str, str]
    age: tuple[str, int, int] | None
    scheme: str | None
    size_range: tuple[int, int] | None
    fixed_size: str | None
    compat: str | None
    colours: list[str]
    base_price: float
    cents: float
    pack_format: str
    title: str = ""
    description: str = ""
    n_variants: int = 0


@dataclass(slots=True)
class _Product:
    product_id: str
    line: _Line
    colour: str
    family: str
    pack: int
    price: float
    specs: dict[str, tuple[str, float | None, str | None]]
    row: dict


def _tc(text: str) -> str:
    """Title-case without lowering what is already upper case (USB-C, 4K, TPU)."""
    return " ".join(w[:1].upper() + w[1:] if w[:1].islower() else w for w in text.split(" "))


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _Names:
    """Model names per brand and type, and the phone / watch models accessories fit."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[tuple[str, str], set[str]] = {}
        self.phones = {b: self._series(b, phone=True) for b in ["Voltra", "Nexa", "Pulsewave", "Auralis", "TOZVIK"]}
        self.watches = {b: self._series(b, phone=False) for b in ["Voltra", "Sonique", "Pulsewave", "Auralis", "Nexa", "Kestrel Audio", "TOZVIK", "Boltix"]}

    def _series(self, brand: str, phone: bool) -> list[str]:
        rng = self.rng
        if phone:
            letter = rng.choice("XSNPQRVZ")
            gen = rng.randint(3, 12)
            base = [f"{letter}{gen}", f"{letter}{gen + 1}", f"{rng.choice(['Neo', 'Edge', 'Nova', 'Aero'])} {rng.randint(10, 40)}"]
            out = []
            for b in base:
                out += [b, f"{b} Pro"] + ([f"{b} Lite"] if rng.random() < 0.5 else []) + ([f"{b} Ultra"] if rng.random() < 0.3 else [])
            return out
        word = rng.choice(["Fit", "Pulse", "Active", "Sport", "Run", "Halo"])
        n = rng.randint(2, 7)
        return [f"{word} {n}", f"{word} {n} Pro", f"{word} {n + 1}", f"Watch {rng.randint(3, 9)}", f"{word} Lite"]

    def new(self, brand: str, pt: PType, dims: dict[str, str]) -> str:
        used = self.used.setdefault((brand, pt.name), set())
        brand_words = set(brand.lower().split())
        for _ in range(8):
            name = self._make(brand, pt, dims)
            if name not in used and not brand_words & set(name.lower().split()):
                break
        used.add(name)
        return name

    def _make(self, brand: str, pt: PType, dims: dict[str, str]) -> str:
        rng = self.rng
        kind = pt.naming
        if kind == "none":
            return ""
        if kind == "phone":
            return rng.choice(self.phones.get(brand) or self.phones["Voltra"])
        if kind == "watch":
            return rng.choice(self.watches.get(brand) or self.watches["Voltra"])
        if kind == "tech":
            r = rng.random()
            if r < 0.35:
                name = f"{rng.choice('XSQMRTZKAV')}{rng.randint(1, 60)}"
            elif r < 0.75:
                name = f"{rng.choice(NAME_WORDS['tech'])} {rng.randint(2, 9)}"
            else:
                name = f"{rng.choice(NAME_WORDS['tech'])}{rng.choice(['Buds', 'Beat', 'Max', 'Go', 'Pod', 'Sound'])}"
            return name + (f" {rng.choice(['Pro', 'Lite', 'Max', 'Plus', 'Ultra', 'Mini', 'SE', 'Neo', 'Sport'])}" if rng.random() < 0.45 else "")
        if kind == "shoe":
            r = rng.random()
            word = rng.choice(NAME_WORDS["shoe"])
            if r < 0.55:
                return f"{word} {rng.randint(2, 12)}"
            if r < 0.8:
                return f"{word} {rng.choice(['Mid', 'Low', 'WP', 'XT', '2.0', 'Lite', 'Max', 'Pro'])}"
            return word
        if kind == "computer":
            r = rng.random()
            if r < 0.5:
                return f"{rng.choice(NAME_WORDS['computer'])} {rng.choice(['14', '15', '16', '24', '27', '5', '7', 'X', 'S'])}{rng.choice(['', '', 'Q', 'i', 'X', ' Pro'])}"
            return f"{rng.choice('KMQBZ')}{rng.randint(100, 990)}"
        if kind == "appliance":
            if rng.random() < 0.45:
                initials = "".join(w[0] for w in brand.split()).upper()[:2].ljust(2, "X")
                return f"{initials}-{rng.randint(100, 9900)}"
            return f"{rng.choice(NAME_WORDS['appliance'])} {rng.choice(['', '', '2', '300', '1200', 'Plus', 'XL'])}".strip()
        if kind == "toy":
            theme = dims.get("theme", "")
            return rng.choice(TOY_NAMES.get(theme) or ["Adventure", "Deluxe", "Junior", "Classic"])
        if kind == "outdoor":
            return f"{rng.choice(NAME_WORDS['outdoor'])}{rng.choice(['', ' 2', ' UL', ' 3', ' Pro', ' 40', ''])}"
        return rng.choice(NAME_WORDS.get(kind, NAME_WORDS["line"]))


def _new_line(rng: random.Random, pt: PType, names: _Names) -> _Line:
    brands = pt.brands or CATEGORIES[pt.category]["brands"]
    brand = rng.choice(brands)
    gender = GENDER_LETTER[rng.choice(pt.gender)] if pt.gender else None
    feats = [f for f, prob in pt.feats if rng.random() < prob]
    specs = {}
    for key, values in pt.specs.items():
        value = rng.choice(values)
        if value[0]:
            specs[key] = value
    dims = {key: rng.choice(values) for key, values in pt.dims.items()}
    age = rng.choice(pt.ages) if pt.ages else None
    scheme = size_range = fixed = None
    if pt.sizes and pt.sizes.startswith("="):
        fixed = rng.choice(_split(pt.sizes[1:]))
    elif pt.sizes:
        if pt.sizes == "shoe":
            scheme = {"men": "shoe_men", "kids": "shoe_kids"}.get(gender or "", "shoe_women" if gender == "women" else "shoe_men")
        elif pt.sizes == "apparel":
            scheme = "apparel_kids" if gender == "kids" else "apparel"
        else:
            scheme = "apparel_kids" if gender == "kids" else pt.sizes
        n = len(SIZE_SCHEMES[scheme])
        lo = rng.choice([0, 0, 1, 1, 2])
        hi = n - 1 - rng.choice([0, 0, 1, 2, 3])
        size_range = (lo, max(lo + 3, hi))
    palette = pt.colours or [""]
    colours = rng.sample(palette, k=min(len(palette), rng.choice([1, 2, 3, 3, 4, 5])))
    compat = None
    if pt.compat == "phone":
        brand_p = rng.choice(list(names.phones))
        compat = f"{brand_p} {rng.choice(names.phones[brand_p])}"
    elif pt.compat == "watch":
        brand_w = rng.choice(list(names.watches))
        compat = f"{brand_w} {rng.choice(names.watches[brand_w])}"
    # premium brands price higher in the band, marketplace sellers lower
    profile = BRAND_PROFILE.get(brand, "retail")
    alpha, beta = {"premium": (3, 2), "retail": (2, 2), "market": (1.3, 3.5)}[profile]
    position = rng.betavariate(alpha, beta)
    if pt.tier and pt.tier in specs:
        values = pt.specs[pt.tier]
        position = 0.7 * values.index(specs[pt.tier]) / max(1, len(values) - 1) + 0.3 * position
    base = pt.low + (pt.high - pt.low) * position
    line = _Line(
        ptype=pt, brand=brand, model=names.new(brand, pt, dims), noun=rng.choice(pt.nouns), gender=gender,
        material=rng.choice(pt.materials) if pt.materials else None, feats=feats, specs=specs, dims=dims, age=age,
        scheme=scheme, size_range=size_range, fixed_size=fixed, compat=compat, colours=colours, base_price=base,
        cents=rng.choice([0.99, 0.99, 0.95, 0.0, 0.49, 0.99]),
        pack_format=rng.choice(PACK_FORMATS["count" if pt.category in ("Grocery", "Baby", "Pet Supplies") else
                                            "set" if pt.category in ("Furniture", "Home & Kitchen") else
                                            "pairs" if pt.name == "running socks" else "default"]),
    )
    line.title = _title_template(rng, line)
    line.description = _description_template(rng, line)
    return line


def _size_text(line: _Line) -> str | None:
    if line.fixed_size:
        return line.fixed_size
    if not line.scheme:
        return None
    sizes = SIZE_SCHEMES[line.scheme]
    lo, hi = line.size_range
    return SIZE_RENDER[line.scheme].format(lo=sizes[lo], hi=sizes[hi])


def _feature_title(rng: random.Random, feat: str) -> str:
    forms = FEATURES.get(feat)
    return rng.choice(_split(forms[0])) if forms else _tc(feat)


def _spec_title(line: _Line, key: str, rng: random.Random) -> str:
    if key == line.ptype.vspec:
        return "\x03"
    display, _, title = line.specs[key]
    if key == "sun protection":
        return display
    return title or _tc(display)


def _title_template(rng: random.Random, line: _Line) -> str:
    """The seller's title for a line, with \\x01 (colour), \\x02 (pack) and \\x03 (variant spec) slots."""
    pt = line.ptype
    profile = BRAND_PROFILE.get(line.brand, "retail")
    style = _pick(rng, STYLE_WEIGHTS[profile])
    tspecs = [k for k in pt.tspecs if k in line.specs]
    if style == "spec" and len(tspecs) < 2:
        style = "standard"
    brand = line.brand.upper() if profile == "market" and rng.random() < 0.3 else line.brand
    model = line.model
    noun = line.noun.replace("{compat}", line.compat or "")
    gender = ""
    if line.gender:
        forms = _split(GENDER_FORMS[line.gender][0])
        gender = rng.choice(forms)
    feats = [_feature_title(rng, f) for f in rng.sample(line.feats, k=len(line.feats))]
    pre_dims, post_dims = [], []
    for key in pt.tdims:
        if key in line.dims and rng.random() < 0.75:
            value = line.dims[key]
            if key in DIM_TITLE:
                post_dims.append(DIM_TITLE[key].format(v=_tc(value)))
            elif pt.name == "diapers":
                pre_dims.append(_tc(value))
            else:
                pre_dims.append(_tc(value))
    material = _tc(line.material[0]) if line.material else ""
    sep = rng.choice(SEPARATORS)
    sep2 = rng.choice(SEPARATORS)
    colour = "\x01" if pt.colours else ""
    pack = "\x02" if pt.packs else ""
    size = _size_text(line)
    spec_titles = [_spec_title(line, k, rng) for k in rng.sample(tspecs, k=len(tspecs))]
    if pt.vspec and pt.vspec in line.specs and "\x03" not in spec_titles:
        spec_titles.append("\x03")
    if line.age and rng.random() < 0.5:
        post_dims.append(_tc(line.age[0]))

    def j(*parts: str) -> str:
        return " ".join(p for p in parts if p)

    if style == "plain":
        if model and pt.model_alone and rng.random() < 0.5:
            head = j(brand, model)
        else:
            head = j(brand, model if rng.random() < 0.7 else "", gender if rng.random() < 0.5 else "",
                     pre_dims[0] if pre_dims else "", noun)
        tail = []
        if "\x03" in spec_titles and rng.random() < 0.8:
            tail.append("\x03")
        if colour and rng.random() < 0.35:
            tail.append(colour)
        title = head + (sep + ", ".join(tail) if tail else "")
        title = j(title, pack)
    elif style == "standard":
        head = j(brand, model if rng.random() < 0.6 else "", gender, feats[0] if feats and rng.random() < 0.6 else "",
                 " ".join(pre_dims), material if rng.random() < 0.2 else "", noun)
        tail = spec_titles[: rng.choice([0, 1, 1, 2])] + post_dims[:1]
        if "\x03" in spec_titles and "\x03" not in tail:
            tail.append("\x03")
        if colour and rng.random() < 0.6:
            tail.append(colour)
        if tail and rng.random() < 0.2:
            title = f"{head} ({', '.join(tail)})"
        else:
            title = head + (sep + ", ".join(tail) if tail else "")
        title = j(title, pack)
    elif style == "spec":
        head = j(brand, model, " ".join(spec_titles[:2]), feats[0] if feats and rng.random() < 0.4 else "", noun)
        rest = spec_titles[2:4] + ([colour] if colour and rng.random() < 0.7 else []) + ([pack] if pack else [])
        title = head + (", " + ", ".join(rest) if rest else "")
    elif style == "brand_last":
        core = j(gender if rng.random() < 0.7 else "", feats[0] if feats and rng.random() < 0.5 else "", " ".join(pre_dims), noun)
        if model and rng.random() < 0.4:
            core = j(model, core)
        extra = ", ".join(([colour] if colour and rng.random() < 0.4 else []) + spec_titles[:1] + post_dims[:1])
        pattern = rng.random()
        if pattern < 0.35:
            title = f"{core}{', ' + extra if extra else ''} by {brand}"
        elif pattern < 0.7:
            title = f"{core}{' (' + extra + ')' if extra else ''}{sep}{brand}"
        else:
            title = f"{core}{sep}{extra + sep if extra else ''}{brand}"
        title = j(title, pack)
    else:  # stuffed / unbranded keyword lists
        branded = style == "stuffed"
        stuff = rng.sample(pt.stuff, k=min(len(pt.stuff), rng.choice([0, 1, 1, 2]))) if pt.stuff else []
        head = j(brand if branded else "", model if branded and rng.random() < 0.4 else "", gender, " ".join(pre_dims), noun,
                 " ".join(feats[: rng.choice([1, 2, 3, 4])]), material if rng.random() < 0.5 else "", " ".join(stuff))
        segments = spec_titles[: rng.choice([1, 2, 3])] + post_dims
        if pt.tuse and rng.random() < 0.6:
            segments.append("for " + rng.choice(pt.tuse))
        if colour and rng.random() < 0.5:
            segments.append(colour)
        if size and rng.random() < 0.4:
            segments.append(("Size " if line.scheme and "shoe" in line.scheme else "") + size)
        rng.shuffle(segments)
        title = head
        for i, seg in enumerate(segments):
            title += (sep if i % 2 == 0 else sep2) + seg
        title = j(title, pack)
        if not branded and rng.random() < 0.3:
            title = title.replace(" for ", " For ")
    casing = rng.random()
    if casing < 0.04:
        title = title.lower()
    elif casing < 0.12 and style in ("plain", "standard", "brand_last"):
        words = title.split(" ")
        title = " ".join([words[0]] + [w if (any(c.isdigit() or c < " " for c in w) or w.isupper() or w in (brand, model)) else w.lower()
                                       for w in words[1:]])
    elif casing < 0.15 and profile == "market":
        title = title.upper()
    return re.sub(r"\s+", " ", title).strip()


OPENERS = [
    "Built for {u}.", "Made for {u} and {u2}.", "Great for {u}.", "Perfect for {u}.", "Ideal for {u} or {u2}.",
    "Whether it's {u} or {u2}, it keeps up.", "Our go-to {n} for {u}.", "A dependable {n} for {u}.",
    "Designed with {u} in mind.", "Made for {u}.", "From {u} to {u2}, it does the job.",
    "Customers pick it for {u}.", "{B} made this {n} for {u}.", "Good for {u}.", "",
]
SPEC_SENTENCES = {
    "battery life": ["Battery life: {v} on a single charge.", "The battery lasts {v} between charges.", "Get {v} of use per charge."],
    "total playtime with case": ["The charging case extends total playtime to {v}.", "With the case you get {v} of listening in total."],
    "water resistance": ["Rated {v} for water resistance.", "{v} water resistance."],
    "screen size": ["A {v} display.", "The {v} screen is sharp in direct sunlight."],
    "display size": ["{v} panel.", "Display size: {v}."],
    "storage": ["{v} of built-in storage.", "Storage: {v}."],
    "capacity": ["Capacity: {v}.", "Holds {v}."],
    "keeps drinks hot": ["Keeps drinks hot {v}.", "Holds heat {v}."],
    "keeps drinks cold": ["Keeps drinks cold {v}."],
    "temperature rating": ["Rated {v}.", "Temperature rating: {v}."],
    "weight": ["Weighs {v}.", "Weight: {v}."],
    "heel-to-toe drop": ["{v} heel-to-toe drop.", "Drop: {v}."],
    "sun protection": ["{v} fabric blocks UV on long days outside.", "Sun protection: {v}."],
    "spf": ["Broad-spectrum {v} protection.", "{v}, broad spectrum UVA/UVB."],
    "inseam": ["{v} inseam.", "Inseam: {v}."],
    "pieces": ["{v} in the box.", "Includes {v}."],
    "players": ["For {v}.", "Plays with {v}."],
    "main camera": ["A {v} shoots detailed photos even at night.", "Camera: {v}."],
    "memory": ["{v} for smooth multitasking.", "Memory: {v}."],
    "processor": ["Powered by an {v}.", "Processor: {v}."],
    "resolution": ["{v} resolution.", "Resolution: {v}."],
    "refresh rate": ["{v} refresh rate for smooth motion.", "Refresh rate: {v}."],
    "waterproof rating": ["{v} waterproof rating.", "Waterproof to {v}."],
    "blade length": ["{v} blade.", "Blade length: {v}."],
    "power": ["{v} motor.", "Power: {v}."],
    "output": ["{v} output.", "Output: {v}."],
    "age": ["Recommended for {v}."],
}
CLOSERS = ["Free standard shipping on orders over $50.", "Ships within 1 business day.", "Ships in recyclable packaging.",
           "Price-match guaranteed for 14 days after purchase.", "Easy returns within 30 days of delivery."]
TECH_CLOSERS = ["Covered by our 2-year electronics warranty.", "Returns accepted within 15 days of delivery.",
                "Free standard shipping on orders over $50."]
MATERIAL_LEADS = {"Footwear": ["Upper: {m}.", "{M} upper.", "Made with a {m} upper."], "Apparel": ["Fabric: {m}.", "Made from {m}.", "{M}."],
                  "Outerwear": ["Shell: {m}.", "Made from {m}.", "{M} shell."]}


def _description_template(rng: random.Random, line: _Line) -> str:
    """Description for a line, with a \\x01 (colour) slot; it adds what the title leaves out."""
    pt = line.ptype
    noun = pt.nouns[0].replace("{compat}", "").replace("for", "").strip().lower() or pt.name
    sentences = []
    if pt.uses:
        u, u2 = (rng.sample(pt.uses, 2) if len(pt.uses) > 1 else (pt.uses[0], pt.uses[0]))
        opener = rng.choice(OPENERS).format(u=u, u2=u2, n=noun, B=line.brand)
        if opener:
            sentences.append(opener[0].upper() + opener[1:])
    feat_sents, plain_feats = [], []
    feats = rng.sample(line.feats, k=len(line.feats))
    feats.sort(key=lambda f: f not in pt.always)
    for f in feats:
        forms = FEATURES.get(f)
        if forms and forms[2] and (rng.random() < 0.8 or f in pt.always):
            feat_sents.append(rng.choice(_split(forms[2])))
        else:
            plain_feats.append(f)
    sentences += feat_sents[:3]
    if plain_feats:
        sentences.append(rng.choice(["Also: {}.", "Features: {}.", "Highlights: {}."]).format(", ".join(plain_feats)))
    keys = [k for k in line.specs if k != pt.vspec]
    chosen = rng.sample(keys, k=min(len(keys), rng.choice([1, 2, 3, 4])))
    chosen = [k for k in pt.always if k in keys] + [k for k in chosen if k not in pt.always]
    for key in chosen:
        display = line.specs[key][0]
        if key in SPEC_SENTENCES:
            sentences.append(rng.choice(SPEC_SENTENCES[key]).format(v=display))
        elif display in ("yes",):
            sentences.append(f"{key[0].upper() + key[1:]}.")
        else:
            sentences.append(f"{key[0].upper() + key[1:]}: {display}.")
    if line.material and rng.random() < 0.8:
        leads = MATERIAL_LEADS.get(pt.category, ["Made from {m}.", "{M} construction.", "Material: {m}."])
        sentences.append(rng.choice(leads).format(m=line.material[0], M=line.material[0][0].upper() + line.material[0][1:]))
    if line.dims and rng.random() < 0.7:
        key, value = rng.choice(list(line.dims.items()))
        sentences.append(rng.choice([f"{key[0].upper() + key[1:]}: {value}.", f"Best for {value}." if "type" in key else f"{value[0].upper() + value[1:]}."]))
    if line.age:
        sentences.append(rng.choice(["Recommended for {}.", "For {}.", "Suitable for {}."]).format(line.age[0]))
    size = _size_text(line)
    if size and rng.random() < 0.75:
        fit = rng.choice(["Runs true to size.", "Runs small; we suggest ordering half a size up.", "Roomy fit; size down for a snug feel.",
                          "True to size.", "Check the size chart before ordering."])
        sentences.append(f"Available in {size}. {fit}" if line.fixed_size is None else f"Size: {size}.")
    if line.compat:
        sentences.append(rng.choice(["Fits the {c} only; check your model before ordering.", "Made to fit the {c}.",
                                     "Compatible with {c}."]).format(c=line.compat))
    if pt.facts:
        sentences += rng.sample(pt.facts, k=min(len(pt.facts), rng.choice([0, 1, 1, 2])))
    if pt.colours and rng.random() < 0.3:
        sentences.append(rng.choice(["Shown in \x01.", "Pictured: \x01.", "This listing is for the \x01 colourway."]))
    if pt.care and rng.random() < 0.6:
        sentences.append(rng.choice(pt.care))
    if rng.random() < 0.3:
        sentences.append(rng.choice(TECH_CLOSERS if pt.category in ("Electronics", "Computers") else CLOSERS))
    form = rng.random()
    if form < 0.55 or len(sentences) < 3:
        return " ".join(sentences)
    if form < 0.8:
        return sentences[0] + "\n" + "\n".join("• " + s for s in sentences[1:])
    return " ".join(sentences[:2]) + " Specifications: " + "; ".join(f"{k}: {v[0]}" for k, v in line.specs.items() if k != pt.vspec) + "."


def _pack_text(line: _Line, n: int) -> str:
    return line.pack_format.format(n=n) if n > 1 else ""


_CLEAN_TAIL = re.compile(r"(\s*[,|/–-]\s*)+$")
_CLEAN_EMPTY = re.compile(r"\(\s*,?\s*\)|,\s*,|(?<=[,|–-])\s*,")


def _variant(rng: random.Random, line: _Line, pid: str) -> _Product:
    pt = line.ptype
    i = line.n_variants
    line.n_variants += 1
    colour = line.colours[i] if i < len(line.colours) else rng.choice(pt.colours or line.colours)
    pack = rng.choice(pt.packs) if pt.packs else 1
    specs = line.specs
    vtext = ""
    premium = 1.0
    if pt.vspec and pt.vspec in specs:
        values = pt.specs[pt.vspec]
        k = rng.randrange(len(values))
        specs = dict(specs)
        specs[pt.vspec] = values[k]
        vtext = values[k][2] or values[k][0]
        premium = 1.0 + 0.18 * k
    price = line.base_price * premium * rng.uniform(0.93, 1.07)
    if pack > 1:
        price *= (pack / min(pt.packs)) ** 0.75
    price = max(1.0, float(int(price))) + line.cents
    if price < 5:
        price = round(price, 2)
    title = line.title.replace("\x01", colour).replace("\x02", _pack_text(line, pack)).replace("\x03", vtext)
    if "  " in title or title[-1:] in ",|-–/ " or "()" in title or ", ," in title:
        title = _CLEAN_EMPTY.sub(",", title)
        title = _CLEAN_TAIL.sub("", re.sub(r"\s+", " ", title)).strip().replace(" ,", ",")
    description = line.description.replace("\x01", colour)
    attributes = {"type": pt.name}
    if line.gender:
        attributes["gender"] = line.gender
    if colour:
        attributes["color"] = colour.lower()
    if line.material:
        attributes["material"] = line.material[0]
    size = _size_text(line)
    if size:
        attributes["sizes" if line.scheme else "size"] = size
    if line.feats:
        attributes["features"] = ", ".join(line.feats)
    for key, value in specs.items():
        attributes[key] = value[0]
    attributes.update(line.dims)
    if line.age:
        attributes["age range"] = line.age[0]
    if line.model:
        attributes["model"] = line.model
    if line.compat:
        attributes["compatible with"] = line.compat
    if pack > 1:
        attributes["pack size"] = str(pack)
    row = {
        "product_id": pid,
        "title": title,
        "description": description,
        "category": pt.category,
        "brand": line.brand,
        "price": price,
        "attributes": attributes,
        "in_stock": rng.random() < 0.85,
        "rating": round(min(5.0, max(1.0, rng.triangular(2.4, 5.0, 4.5))), 1),
        "review_count": int(rng.paretovariate(1.1) * 4) - 4 + rng.randrange(3),
    }
    family = COLOUR_FAMILY.get(colour, colour.split()[-1].lower()) if colour else ""
    return _Product(pid, line, colour, family, pack, price, specs, row)


def _make_products(rng: random.Random, n_products: int) -> list[_Product]:
    names = _Names(rng)
    weights = list(accumulate(t.weight for t in _TYPES))
    total = weights[-1]
    lines_by_type: dict[str, list[_Line]] = {}
    products = []
    for i in range(n_products):
        pt = _TYPES[i] if i < len(_TYPES) else _TYPES[bisect(weights, rng.random() * total)]
        lines = lines_by_type.setdefault(pt.name, [])
        if not lines or rng.random() < 0.45:
            line = _new_line(rng, pt, names)
            lines.append(line)
        else:
            line = rng.choice(lines[-12:]) if rng.random() < 0.7 else rng.choice(lines)
        products.append(_variant(rng, line, f"P{i + 1:05d}"))
    return products


# --------------------------------------------------------------------------
# Shopper queries and their graded labels
# --------------------------------------------------------------------------

Req = tuple  # (kind, key, value, cap): cap is the best grade a product missing it can get (None: an ordinary miss)


def F(feat: str, cap: int | None = None) -> Req:
    return ("feat", None, feat, cap)


def Min(key: str, value: float, cap: int | None = None) -> Req:
    return ("min", key, value, cap)


def Max(key: str, value: float, cap: int | None = None) -> Req:
    return ("max", key, value, cap)


def Dim(key: str, value: str, cap: int | None = None) -> Req:
    return ("dim", key, value, cap)


def Has(key: str, cap: int | None = None) -> Req:
    return ("has", key, None, cap)


@dataclass
class Intent:
    types: set[str]
    subs: set[str] = field(default_factory=set)
    comps: set[str] = field(default_factory=set)
    reqs: list[Req] = field(default_factory=list)


def _num(p: _Product, key: str) -> float | None:
    value = p.specs.get(key)
    return value[1] if value else None


def _meets(p: _Product, req: Req) -> bool:
    kind, key, value, _ = req
    line = p.line
    if kind == "feat":
        return value in line.feats
    if kind == "colour":
        return p.family == value
    if kind == "colour_word":
        return value in p.colour.lower()
    if kind == "gender":
        return line.gender == value or (line.gender == "unisex" and value in ("men", "women"))
    if kind == "size":
        if not line.scheme or value not in SIZE_SCHEMES[line.scheme]:
            return False
        lo, hi = line.size_range
        return lo <= SIZE_SCHEMES[line.scheme].index(value) <= hi
    if kind == "price":
        return p.price <= value
    if kind in ("min", "max", "eq"):
        n = _num(p, key)
        if n is None:
            return False
        return n >= value if kind == "min" else n <= value if kind == "max" else abs(n - value) < 1e-6
    if kind == "spec":
        return key in p.specs and p.specs[key][0] == value
    if kind == "has":
        return key in p.specs
    if kind == "dim":
        return line.dims.get(key) == value or (key in p.specs and p.specs[key][0] == value)
    if kind == "material":
        return line.material is not None and line.material[1] == value
    if kind == "age":
        return line.age is not None and line.age[1] <= value <= line.age[2]
    if kind == "brand":
        return line.brand == value
    if kind == "model":
        return line.brand == key and line.model == value
    if kind == "compat":
        return line.compat == value
    if kind == "pack":
        return p.pack == value
    raise ValueError(kind)


def _grade(p: _Product, intent: Intent) -> int:
    name = p.line.ptype.name
    if name in intent.types:
        best = 3
    elif name in intent.subs:
        best = 2
    elif name in intent.comps:
        return 1
    else:
        return 0
    grade, cap = best, 3
    for req in intent.reqs:
        if not _meets(p, req):
            grade -= 1
            if req[3] is not None:
                cap = min(cap, req[3])
    grade = min(grade, cap)
    return max(grade, 1 if cap > 0 else 0) if best == 3 else max(grade, 0)


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


# spec key -> (how a stated value is matched, query phrasings); {n} number, {t} the title form, {d} the display
SPEC_QUERY: dict[str, tuple[str, list[str]]] = {
    "battery life": ("min", ["with {n} hour battery", "{n} hour battery", "battery life {n}+ hours", "at least {n}h battery", "{n}hr battery life"]),
    "total playtime with case": ("min", ["{n} hour playtime", "{n}h battery", "{n} hours battery with case"]),
    "screen size": ("eq", ["{n} inch", "{n}\"", "{n} in screen", "{n} inch screen"]),
    "display size": ("eq", ["{n} inch", "{n}\"", "{n}in", "{n} inch screen"]),
    "storage": ("eq", ["{t}", "{t} storage", "with {t}"]),
    "memory": ("min", ["{n}gb ram", "{n} gb ram", "{n}gb memory", "with {n}gb ram"]),
    "capacity": ("eq", ["{t}", "{t}"]),
    "refresh rate": ("min", ["{n}hz", "{n} hz", "{n}hz+"]),
    "resolution": ("eq", ["{t}", "{t}"]),
    "temperature rating": ("max", ["{n} degree", "rated to {n}f", "{n}°f", "{n} degree f"]),
    "waterproof rating": ("min", ["{n}mm waterproof", "{n} mm rating"]),
    "spf": ("min", ["spf {n}", "spf{n}", "spf {n}+"]),
    "sun protection": ("min", ["upf {n}", "upf {n}+", "with upf {n}", "upf"]),
    "pieces": ("eq", ["{n} piece", "{n} pieces", "{n} pc", "{n} pcs"]),
    "players": ("min", ["for {n} players", "{n} player", "up to {n} players"]),
    "weight": ("eq", ["{t}", "{n} lb", "{n} pound"]),
    "blade length": ("eq", ["{n} inch", "{n}\"", "{n} in"]),
    "size": ("eq", ["{t}", "{t}"]),
    "diameter": ("eq", ["{n} inch", "{n}\"", "{n} in"]),
    "inseam": ("eq", ["{n} inch", "{n}\" inseam", "{n} in inseam"]),
    "thickness": ("min", ["{n}mm", "{n} mm thick", "extra thick {n}mm"]),
    "top speed": ("min", ["{n} mph", "{n}mph", "goes {n} mph"]),
    "brightness": ("min", ["{n} lumens", "{n} lumen", "{n}lm"]),
    "net weight": ("eq", ["{t}", "{t} bag"]),
    "bag size": ("eq", ["{t}", "{n}lb", "{n} lb bag"]),
    "cacao": ("min", ["{n}%", "{n} percent", "{n}% cacao"]),
    "protein": ("min", ["{n}g protein", "{n}g+ protein", "{n} grams protein"]),
    "height": ("eq", ["{t}", "{n} inch"]),
    "keeps drinks hot": ("min", ["keeps hot {n} hours", "hot for {n} hours"]),
    "fits": ("eq", ["{n} inch", "for {n} inch laptop", "{n}\""]),
    "fits tvs up to": ("min", ["for {n} inch tv", "{n}\" tv", "fits {n} inch tv"]),
    "desktop size": ("eq", ["{n} inch", "{n}\" wide", "{n} x"]),
    "ports": ("min", ["{n} in 1", "{n}-in-1", "{n} port"]),
    "layout": ("spec", ["{t}", "{d}"]),
    "switches": ("spec", ["{t}", "{d}"]),
    "fits dogs up to": ("min", ["for {n} lb dog", "dogs up to {n} lbs", "for {n}lb dog"]),
    "max load": ("min", ["{n} lb capacity", "holds {n} lbs", "for {n} lb"]),
    "shelves": ("eq", ["{n} shelf", "{n} tier", "{n} shelves"]),
    "output": ("eq", ["{t}", "{d}"]),
    "main camera": ("spec", ["{d}", "{n} mp camera"]),
    "motor": ("spec", ["{d}", "{d}"]),
    "carafe": ("spec", ["with {d}", "{d}"]),
    "season": ("eq", ["{n} season", "{n}-season"]),
    "wear": ("min", ["{n} hour", "lasts {n} hours"]),
    "figures": ("eq", ["{t}", "{n} pack"]),
    "length": ("min", ["{n} ft", "{n}ft", "{n} foot"]),
    "shaft height": ("spec", ["{d}"]),
    "lining": ("spec", ["{d}"]),
    "processor": ("spec", ["{d}"]),
}
DIM_QUERY = {  # dim -> phrasings of a value ({v}); post phrasings start with "for"/"with"
    "skin type": ["for {v}", "{v}", "for {v}"], "hair type": ["for {v}", "{v}"], "roast": ["{v}"], "life stage": ["{v}", "for {v}"],
    "breed size": ["{v}", "for {v} dogs"], "stage": ["{v}"], "bed size": ["{v}", "{v} size"], "seating": ["{v}"],
    "length": ["{v}", "{v} length"], "fit": ["{v}", "{v} fit"], "finish": ["{v}"], "key ingredient": ["{v}", "with {v}"],
    "flavor": ["{v}", "{v} flavor"], "theme": ["{v}", "{v} themed", "{v}", "{v} theme"], "form": ["{v}"], "size": ["{v}"],
    "pet size": ["for {v}"],
}
SPEC_QUERY_TYPES = {"weight": {"dumbbells", "cat litter"}}  # keys whose units differ between types
POST_WORDS = ("for ", "with ", "in ", "size ", "sz ", "under ", "below ", "rated ", "up to ", "at least ", "battery ", "holds ",
              "goes ", "fits ", "keeps ", "hot ", "dogs ", "lasts ")


def _is_post(text: str) -> bool:
    return text.startswith(POST_WORDS)


def _modifiers(rng: random.Random, p: _Product) -> list[tuple[str, str, Req]]:
    """Every requirement a shopper could state about this product: (text, pre/post, requirement)."""
    line, pt = p.line, p.line.ptype
    out = []
    if p.family and p.family not in ("multicolor", "clear", "natural"):
        words = [w for w in sorted(COLOUR_WORDS) if w in p.colour.lower()]
        if words and rng.random() < 0.3:
            out.append((words[0], "pre", ("colour_word", None, words[0], None)))
        else:
            text = "gray" if p.family == "grey" and rng.random() < 0.35 else p.family
            out.append((f"in {text}" if rng.random() < 0.15 else text, "any", ("colour", None, p.family, None)))
    if line.gender and line.gender != "unisex":
        out.append((rng.choice(_split(GENDER_FORMS[line.gender][1])), "any", ("gender", None, line.gender, None)))
    for f in line.feats:
        forms = _split(FEATURES[f][1]) if f in FEATURES else [f]
        text = rng.choice(forms)
        out.append((text, "post" if text.startswith(("for ", "with ", "that ")) else "pre", F(f)))
    if line.material and pt.category in ("Footwear", "Apparel", "Outerwear", "Furniture", "Home & Kitchen", "Sports & Outdoors"):
        family = line.material[1]
        if family not in ("synthetic", "polyester", "tpe", "pvc", "plastic", "laminate", "foam", "webbing"):
            out.append((family, "pre", ("material", None, family, None)))
    if line.scheme:
        sizes = SIZE_SCHEMES[line.scheme]
        lo, hi = line.size_range
        size = sizes[rng.randint(lo, hi)]
        if line.scheme == "apparel":
            text = rng.choice(_split(APPAREL_SIZE_WORDS[size]))
            text = text if text.startswith("size") or rng.random() < 0.5 else f"size {text}"
        elif line.scheme == "apparel_kids":
            text = rng.choice([f"size {size}", f"{size}y", f"size {size} kids", f"age {size}"])
        elif line.scheme == "waist":
            text = rng.choice([f"{size} waist", f"w{size}", f"size {size}", f"{size}w"])
        else:
            text = rng.choice([f"size {size}", f"size {size}", f"sz {size}", f"us {size}", f"size {size}"])
        out.append((text, "post", ("size", None, size, None)))
    for key, value in line.dims.items():
        if key in DIM_QUERY:
            v = value.replace("-", " ") if rng.random() < 0.3 else value
            text = rng.choice(DIM_QUERY[key]).format(v=v)
            out.append((text, "post" if _is_post(text) else "pre", Dim(key, value)))
    for key, value in p.specs.items():
        if key not in SPEC_QUERY or (key in SPEC_QUERY_TYPES and pt.name not in SPEC_QUERY_TYPES[key]):
            continue
        kind, forms = SPEC_QUERY[key]
        display, num, title = value
        if kind in ("min", "max", "eq") and num is None:
            continue
        if kind in ("min", "max"):
            options = [v for v in pt.specs[key] if v[1] is not None and (v[1] <= num if kind == "min" else v[1] >= num)]
            display, num, title = rng.choice(options)
        n = num
        form = rng.choice([f for f in forms if "{n}" not in f] or ["{d}"]) if num is None else rng.choice(forms)
        if key == "battery life" and num >= 48 and num % 24 == 0:
            form = rng.choice(["{d} day battery", "battery lasts {d} days", "{d}+ days battery life", "{d} day battery life"])
            text = form.format(d=_fmt(num / 24))
        else:
            text = form.format(n=_fmt(n) if n is not None else "", t=(title or display).lower().replace('"', " inch").strip(), d=display.lower())
        req = ("spec", key, display, None) if kind == "spec" else (kind, key, num, None)
        out.append((text, "post" if _is_post(text) else "pre", req))
    if line.age:
        age = rng.randint(max(line.age[1], 2), min(line.age[2], line.age[1] + 5, 16)) if line.age[1] < 18 else None
        if age is not None:
            text = rng.choice([f"for {age} year old", f"for a {age} year old", f"age {age}", f"for {age}yo", f"{age} year old"])
            out.append((text, "post" if _is_post(text) or text.startswith("age") else "pre", ("age", None, age, None)))
    return out


def _budget(rng: random.Random, price: float) -> int:
    steps = [10, 15, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300, 350, 400, 500, 600, 700, 750, 800, 1000,
             1200, 1500, 2000, 2500, 3000]
    i = next((k for k, s in enumerate(steps) if s >= price), len(steps) - 1)
    return steps[min(len(steps) - 1, i + (1 if rng.random() < 0.35 else 0))]


BUDGET_FORMS = ["under {b}", "under ${b}", "below ${b}", "less than {b} dollars", "under {b} dollars", "< ${b}", "max {b}",
                "for under ${b}", "${b} or less", "budget ${b}", "cheaper than {b}", "under {b}$", "up to ${b}"]
WRAPPERS = ["looking for {q}", "i need {q}", "do you have {q}", "any {q}?", "i want to buy {q}", "can you recommend {q}",
            "what's a good {q}", "searching for {q}", "hi, do you sell {q}", "recommend me {q}", "need {q} asap",
            "shopping for {q}", "where can i find {q}", "suggestions for {q}", "best {q}", "top rated {q}"]


def _type_term(rng: random.Random, pt: PType, synonym: bool) -> tuple[str, bool]:
    if synonym and pt.shopper:
        return rng.choice(pt.shopper), True
    nouns = [n for n in pt.nouns if "{compat}" not in n]
    r = rng.random()
    if r < 0.45 or not nouns:
        return pt.name, False
    if r < 0.85:
        return rng.choice(nouns).lower(), False
    return rng.choice(pt.shopper), True


def _assemble(rng: random.Random, term: str, mods: list[tuple[str, str, Req]]) -> str:
    pre = [m for m in mods if m[1] == "pre" or (m[1] == "any" and rng.random() < 0.6)]
    post = [m for m in mods if m not in pre]
    type_first = rng.random() < 0.22
    if type_first:  # "hoodie mens black"
        parts = [term] + [m[0] for m in pre + post]
    else:
        rng.shuffle(pre)
        parts = [m[0] for m in pre] + [term] + [m[0] for m in post]
    text = " ".join(parts)
    return re.sub(r"\s+", " ", text).strip()


MISSPELLINGS = {
    "bluetooth": ["bluetooh", "blutooth", "bluetoth", "bluetooth"], "headphones": ["headphons", "hedphones", "head phones", "headphone"],
    "earbuds": ["earbud", "ear buds", "earbuts", "earbds"], "sneakers": ["sneekers", "snekers", "sneaker"], "leggings": ["legging", "leggins", "legings"],
    "moisturizer": ["moisturiser", "moisturizor", "moisterizer", "mosturizer"], "waterproof": ["waterprof", "water proof", "waterpoof", "waterprooof"],
    "hoodie": ["hoddie", "hoodi", "hooide"], "keyboard": ["keybaord", "keybord", "keyboad"], "laptop": ["labtop", "laptp", "lap top"],
    "sunscreen": ["sunscrean", "sun screen", "sunscren"], "stroller": ["stroler", "strollar", "stoller"], "diapers": ["diapres", "dipers", "daipers"],
    "speaker": ["speeker", "speakr", "spekaer"], "wireless": ["wirless", "wireles", "wireleess"], "jacket": ["jaket", "jackit", "jacet"],
    "monitor": ["moniter", "monitr"], "smartwatch": ["smart watch", "smartwach", "smartwtch"], "charger": ["chager", "charget", "chrger"],
    "backpack": ["back pack", "backpak", "bagpack"], "mechanical": ["mechanicle", "mechnical", "mecanical"], "chocolate": ["choclate", "chocolat", "chcolate"],
    "espresso": ["expresso", "espreso"], "kettle": ["kettel", "ketle"], "blender": ["blendr", "blener"], "running": ["runing", "runnin", "runnning"],
    "shoes": ["shoe", "shose", "sheos"], "phone": ["phon", "fone"], "womens": ["woman", "womans", "wommens"], "women's": ["womens", "womans", "woman's"],
    "men's": ["mens", "man's"], "sweater": ["sweeter", "swetter"], "t-shirt": ["tshirt", "t shirt", "tee shirt"], "dumbbells": ["dumbells", "dumbels", "dumbbell"],
    "sleeping": ["sleping", "sleepin"], "shampoo": ["shampo", "shampoo"], "conditioner": ["conditoner", "condtioner"], "puzzle": ["puzle", "puzzel"],
    "serum": ["serun", "seram"], "litter": ["liter", "litter"], "coffee": ["cofee", "coffe", "cofffee"], "trainers": ["trainrs", "traners"],
    "sandals": ["sandles", "sandels"], "necklace": ["neckalce"], "breathable": ["breathible", "breatheable"], "lightweight": ["light weight", "lightwieght"],
    "portable": ["portible", "protable"], "adjustable": ["adjustible", "ajustable"], "insulated": ["insulted", "insolated"],
    "cancelling": ["canceling", "cancelation", "cancellin"], "parka": ["parker", "parka"], "jeans": ["jeens", "jean"], "tent": ["tnet"],
    "stand": ["stnad"], "chair": ["chiar", "chari"], "desk": ["dsek"], "mattress": ["matress"], "tracker": ["traker", "trackr"],
}
KEY_NEIGHBOURS = {c: n for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm") for i, c in enumerate(row)
                  for n in [row[max(0, i - 1)] + row[min(len(row) - 1, i + 1)]]}


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    known = [i for i, w in enumerate(words) if w in MISSPELLINGS]
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if known and (rng.random() < 0.6 or not long_words):
        i = rng.choice(known)
        words[i] = rng.choice([m for m in MISSPELLINGS[words[i]] if m != words[i]] or [words[i]])
    elif long_words:
        i = rng.choice(long_words)
        w = words[i]
        k = rng.randrange(1, len(w) - 1)
        op = rng.random()
        if op < 0.3:
            w = w[:k] + w[k + 1:]
        elif op < 0.55:
            w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
        elif op < 0.75:
            w = w[:k] + w[k] + w[k:]
        else:
            w = w[:k] + rng.choice(KEY_NEIGHBOURS.get(w[k], w[k])) + w[k + 1:]
        words[i] = w
    elif len(words) > 1:
        i = rng.randrange(len(words) - 1)
        words[i:i + 2] = [words[i] + words[i + 1]]
    return " ".join(words)


@dataclass
class Need:
    phrases: list[str]
    types: list[str]
    reqs: list[Req] = field(default_factory=list)
    subs: list[str] = field(default_factory=list)
    comps: list[str] = field(default_factory=list)
    extras: str = "gender|size|price|colour"
    force: str = ""  # an extra every phrasing needs ("price": "laptop for college under 800")
    age: bool = False


def N(phrases: str, types: str, *reqs: Req, subs: str = "", comps: str = "", extras: str = "gender|size|price|colour",
      force: str = "", age: bool = False) -> Need:
    return Need(_split(phrases), _split(types), list(reqs), _split(subs), _split(comps), extras, force, age)


ALL_TOYS = "building blocks set|board game|jigsaw puzzle|plush toy|remote control car|science kit|toy figures"
# natural-language needs -> product types and the attributes that satisfy them
NEEDS: list[Need] = [
    N("shoes for running in the rain|running shoes that keep my feet dry|what can i run in when it's pouring|trainers for wet winter runs|rainy day running shoes",
      "running shoes|trail running shoes", F("waterproof")),
    N("something to keep coffee hot|keep my coffee hot on the commute|mug that keeps coffee warm for hours|cup that keeps tea hot all morning|coffee still hot at lunch, what do i need",
      "travel mug|vacuum flask", F("insulated"), subs="water bottle", extras="colour|price"),
    N("gift for a {age} year old who likes dinosaurs|present for my {age} yo dino fan|dinosaur toys for {age} year old|my son is {age} and obsessed with dinosaurs|dino gift age {age}",
      ALL_TOYS, Dim("theme", "dinosaur", cap=1), age=True, extras="price"),
    N("birthday present for a {age} year old who loves space|space toys for a {age} year old|gift for a kid into rockets and planets, age {age}",
      ALL_TOYS, Dim("theme", "space", cap=1), age=True, extras="price"),
    N("gift for a {age} year old animal lover|my daughter is {age} and loves animals, toy ideas", ALL_TOYS, Dim("theme", "animals", cap=1), age=True, extras="price"),
    N("toy for a kid who loves building things, age {age}|something to build with for a {age} year old", "building blocks set", age=True, extras="price"),
    N("stem toys for {age} year old|educational gift for a {age} year old|toy that teaches science, age {age}",
      "science kit|building blocks set", F("stem"), age=True, extras="price"),
    N("keep my dog busy while i'm at work|something for my dog to chew instead of my shoes", "chew toy", extras="price|colour"),
    N("toy for a dog that destroys everything|indestructible toy for my lab|chew toy that survives a power chewer", "chew toy", F("durable"), extras="price"),
    N("bed for an old dog with bad hips|my senior dog has arthritis, need a bed|comfy bed for a dog with joint pain", "dog bed", F("orthopedic"), extras="price|colour"),
    N("stop my cat scratching the sofa|something for my cat to scratch and climb|furniture for a bored indoor cat", "cat tree", extras="price|colour"),
    N("running top that keeps me cool in summer|breathable shirt for hot runs|top for running in the heat that dries fast|shirt for sweaty summer runs",
      "running top", F("breathable"), F("quick-dry"), subs="t-shirt"),
    N("hat to keep the sun off while running|running hat with sun protection|cap for a sunny marathon|hat that blocks uv at the beach|sun protective hat for hiking",
      "running cap|sun hat", Min("sun protection", 30), extras="colour|gender|price"),
    N("shorts for jogging in summer|something to run in when it's hot, shorts", "running shorts", F("quick-dry")),
    N("running shorts with pockets for my phone", "running shorts", ("spec", "pockets", "side phone pockets", None)),
    N("watch that tracks my heart rate and lasts a week|fitness watch with a week of battery|heart rate watch that doesn't need charging every day",
      "smartwatch|fitness tracker", F("heart rate monitoring"), Min("battery life", 168), extras="colour|price"),
    N("watch to track my runs without my phone|something to record my runs with gps on my wrist", "smartwatch|fitness tracker", F("gps"), extras="colour|price"),
    N("phone with a battery that lasts all day|phone that lasts a full day on one charge|all day battery phone", "smartphone",
      Min("battery life", 24), extras="colour|price"),
    N("phone that lasts more than a day|phone battery that lasts 2 days|phone i don't have to charge every night", "smartphone",
      Min("battery life", 30), extras="colour|price"),
    N("phone with a big screen for watching videos|large screen phone for my dad", "smartphone", Min("screen size", 6.7), extras="colour|price"),
    N("phone with lots of storage for photos|phone with space for all my videos", "smartphone", Min("storage", 512), extras="colour|price"),
    N("headphones for the plane|block out engine noise on flights|something to block noise in an open office|headphones to cancel noise on my commute",
      "over-ear headphones|wireless earbuds", F("noise cancelling"), extras="colour|price"),
    N("earbuds for the gym that can handle sweat|sweatproof earbuds for working out|earbuds for running in the rain",
      "wireless earbuds", F("water-resistant"), extras="colour|price"),
    N("speaker for the pool|speaker i can take to the beach|speaker that survives getting wet|shower speaker", "bluetooth speaker",
      F("waterproof"), extras="colour|price"),
    N("charge my phone on a long trip|keep my phone charged at a festival|battery to charge my phone several times", "portable charger",
      Min("capacity", 10000), extras="colour|price"),
    N("laptop for college|laptop for a student on a budget|laptop for school work", "laptop", force="price"),
    N("laptop for video editing|laptop that can handle photo and video editing", "laptop", Min("memory", 16), extras="price"),
    N("light laptop for travel|laptop i can carry around all day", "laptop", Max("weight", 1.3), extras="price"),
    N("laptop that can run games|laptop for gaming", "laptop", F("dedicated graphics"), extras="price"),
    N("camera for video calls|make my zoom calls look better|webcam for working from home", "webcam", extras="price"),
    N("connect my laptop to two monitors|plug two screens into one usb-c port", "usb-c hub", F("dual monitor"), extras="price"),
    N("add hdmi and usb ports to my laptop|my laptop only has usb-c ports, need more", "usb-c hub", extras="price"),
    N("desk i can stand at|desk that goes up and down|stop sitting all day at work", "standing desk", extras="price|colour"),
    N("chair for back pain|comfy chair for long hours at a desk|office chair that supports my lower back", "office chair",
      F("lumbar support"), extras="price|colour"),
    N("couch for a small apartment|small sofa for a studio flat|loveseat for a tiny living room", "sofa", Dim("seating", "2-seater"), extras="price|colour"),
    N("sofa big enough for the whole family|sectional for movie nights", "sofa", Dim("seating", "sectional"), extras="price|colour"),
    N("make smoothies every morning|blend frozen fruit and ice|protein shakes after the gym, what blender", "blender", extras="price|colour"),
    N("cook crispy fries without oil|healthier fried food at home|something to make chicken wings crispy", "air fryer", extras="price|colour"),
    N("boil water fast for tea|quick way to boil water for tea", "electric kettle", extras="price|colour"),
    N("kettle for green tea at the right temperature|kettle for pour over coffee", "electric kettle", F("temperature control"), extras="price|colour"),
    N("make lattes at home|cafe style coffee at home|cappuccino at home", "espresso machine", F("milk frother"), subs="coffee maker", comps="coffee beans", extras="price|colour"),
    N("brew coffee for the whole family|big batch coffee for the office", "coffee maker", Min("capacity", 12), extras="price|colour"),
    N("coffee maker that keeps coffee hot without burning it", "coffee maker", ("spec", "carafe", "thermal carafe", None), extras="price|colour"),
    N("sunscreen that won't irritate sensitive skin|sun cream that doesn't sting my face|sunscreen for my kid's sensitive skin", "sunscreen",
      Dim("skin type", "sensitive skin"), extras="price"),
    N("something for dry flaky skin in winter|cream for really dry skin|my face feels tight and dry", "moisturizer",
      Dim("skin type", "dry skin"), subs="face serum", extras="price"),
    N("shampoo for greasy hair|my hair gets oily by lunchtime", "shampoo", Dim("hair type", "oily hair"), extras="price"),
    N("detangle my daughter's curly hair|something to make curly hair soft", "conditioner", Dim("hair type", "curly hair"), extras="price"),
    N("tent for a family camping trip|tent big enough for 4 people and gear|camping with two kids, need a tent", "camping tent",
      Min("capacity", 4), extras="price|colour"),
    N("stay warm camping in winter|sleeping bag for freezing nights|sleeping bag for cold weather", "sleeping bag",
      Max("temperature rating", 20), extras="price|colour"),
    N("light for night hikes|see the trail after dark|hands free light for camping", "headlamp", extras="price|colour"),
    N("bottle that keeps water cold all day|cold water all day at work", "water bottle", F("insulated"), subs="vacuum flask", extras="price|colour"),
    N("boots for snowy walks|warm boots for winter in chicago|keep my feet warm in the snow", "winter boots", F("insulated"), subs="hiking boots"),
    N("shoes for a wedding|smart shoes for a job interview|shoes to wear with a suit", "oxford shoes|loafers"),
    N("what to wear to hot yoga|outfit for yoga class, bottoms", "leggings", subs="running shorts", comps="yoga mat"),
    N("getting started with yoga at home|stuff for my first yoga class", "yoga mat", comps="leggings", extras="price|colour"),
    N("walk to work in the rain without getting soaked|jacket for rainy commutes|something to wear when it's pouring", "rain jacket",
      F("waterproof"), subs="windbreaker", comps="rain boots"),
    N("warmest coat for a canadian winter|coat for -20 degree weather", "down parka", Max("temperature rating", -10), subs="wool coat"),
    N("keep my hands warm and still use my phone|gloves i can text in", "gloves", F("touchscreen")),
    N("pushchair that folds small for the bus|stroller for taking on planes", "stroller", F("compact fold"), extras="price|colour"),
    N("light stroller for travel|stroller that's easy to lift into the car", "stroller", F("lightweight"), extras="price|colour"),
    N("watch the baby from my phone|baby monitor i can check from work", "baby monitor", F("wi-fi"), extras="price"),
    N("see the baby at night in the dark", "baby monitor", F("night vision"), extras="price"),
    N("nappies for a newborn|diapers for my newborn", "diapers", Dim("size", "newborn"), extras="price"),
    N("bottles for a colicky baby|baby bottles that reduce gas", "baby bottles", F("anti-colic"), extras="price"),
    N("carry my baby hands free|carrier for hiking with a toddler", "baby carrier", extras="price|colour"),
    N("snack for after the gym|something to eat after a workout|high protein snack for my gym bag", "protein bars", comps="mixed nuts", extras="price"),
    N("gluten free snacks|snacks for someone with celiac", "protein bars|dark chocolate|mixed nuts", F("gluten-free"), extras="price"),
    N("coffee that won't keep me up at night|coffee without caffeine", "coffee beans|ground coffee", F("decaf"), extras="price"),
    N("gift for a coffee lover|present for someone who loves coffee", "coffee beans|ground coffee", comps="travel mug|coffee mug", extras="price"),
    N("game night with friends|game for a big group at a party|board game for 6 players", "board game", Min("players", 6), extras="price"),
    N("puzzle for grandma|jigsaw for my nan's birthday", "jigsaw puzzle", extras="price"),
    N("something to do on a quiet evening at home|rainy day activity for two adults", "jigsaw puzzle|board game", extras="price"),
    N("kitty litter that doesn't smell|litter for a small apartment with no odor", "cat litter", F("odor control"), extras="price"),
    N("food for my puppy|what should i feed a new puppy", "dog food", Dim("life stage", "puppy"), extras="price"),
    N("large breed dog food|food for my big dog", "dog food", Dim("breed size", "large breed"), extras="price"),
    N("wet food for an older cat|soft food for my senior cat", "cat food", Dim("life stage", "senior"), Dim("form", "wet"), extras="price"),
    N("fast remote control car for a {age} year old|toy car my son can race around the yard, he's {age}", "remote control car", age=True, extras="price|colour"),
    N("home gym weights|get stronger at home without a gym", "dumbbells", extras="price|colour"),
    N("bag for a day hike|small backpack for day hikes", "hiking backpack", Max("capacity", 30), extras="price|colour"),
    N("backpack for a weekend in the mountains|pack for a 3 day trek", "hiking backpack", Min("capacity", 35), extras="price|colour"),
    N("helmet for my kid learning to ride a bike", "bike helmet", ("gender", None, "kids", None), extras="price|colour"),
    N("poles for steep hikes|help my knees on downhill hikes", "trekking poles", extras="price"),
    N("warm layer to wear under a rain shell|mid layer for cold hikes", "fleece jacket", subs="hoodie"),
    N("warm hat for skiing|hat for cold winter runs", "beanie", extras="colour|price"),
    N("cozy slippers for cold floors|slippers for my mom's birthday", "slippers"),
    N("sandals i can get wet|water shoes for river trips", "sandals", F("quick-dry")),
    N("boots for hiking in the rain|waterproof boots for the hills", "hiking boots", F("waterproof"), subs="trail running shoes"),
    N("shoes for a marathon|comfortable shoes for long runs", "running shoes", F("cushioned"), subs="trail running shoes"),
    N("comfortable shoes for standing all day|shoes for nurses on their feet all day", "sneakers|running shoes", F("cushioned")),
    N("knife for chopping vegetables|good knife for a home cook", "chef's knife", extras="price"),
    N("pan for cooking eggs without sticking|pan for pancakes that nothing sticks to", "nonstick frying pan", subs="cast iron skillet", extras="price|colour"),
    N("pan i can use over a campfire|pan that goes from stove to oven", "cast iron skillet", extras="price"),
    N("containers for meal prep|keep leftovers fresh in the fridge", "food storage containers", extras="price"),
    N("second screen for working from home|extra display for my laptop setup", "monitor", extras="price"),
    N("monitor for competitive gaming|smooth screen for fps games", "monitor", Min("refresh rate", 144), extras="price"),
    N("mouse that doesn't hurt my wrist|mouse for wrist pain", "wireless mouse", F("ergonomic"), extras="price|colour"),
    N("quiet mouse for the office|mouse that doesn't click loudly", "wireless mouse", Has("clicks"), extras="price|colour"),
    N("satisfying clicky keyboard|keyboard that sounds like a typewriter", "mechanical keyboard", ("spec", "switches", "blue clicky switches", None), extras="price|colour"),
    N("protect my laptop in my backpack|something to keep my laptop from getting scratched", "laptop sleeve", extras="price|colour"),
    N("replacement strap for my smartwatch|new band for my watch", "watch band", extras="colour|price"),
    N("long cable to charge my phone in bed|charging cable that reaches the couch", "charging cable", Min("length", 6), extras="price|colour"),
    N("dress for a summer wedding|something to wear to a garden party", "dress", extras="size|colour|price"),
    N("pants for the office that aren't jeans|smart casual trousers", "chinos", subs="jeans"),
    N("cozy jumper for christmas|warm knit for winter", "sweater", subs="hoodie"),
    N("shirt for golf|something collared for the golf course", "polo shirt"),
    N("jacket for running in the wind|light jacket for cycling to work", "windbreaker", subs="rain jacket"),
    N("socks that don't give me blisters on long runs|socks for marathon training", "running socks", extras="price"),
    N("oil for salads and dipping bread", "olive oil", extras="price"),
    N("dark chocolate that's not too sweet|very dark chocolate, high cacao", "dark chocolate", Min("cacao", 85), extras="price"),
    N("caffeine free tea for the evening", "green tea", F("decaf"), extras="price"),
    N("lipstick that lasts all day|long lasting lipstick for a wedding", "lipstick", Min("wear", 12), extras="price|colour"),
    N("serum for dark spots|something to fade acne marks", "face serum", Dim("key ingredient", "vitamin C"), extras="price"),
    N("serum for wrinkles|anti aging serum at night", "face serum", Dim("key ingredient", "retinol"), extras="price"),
    N("tv stand for a 65 inch tv|furniture to hold a big tv", "tv stand", Min("fits tvs up to", 65), extras="price|colour"),
    N("bed frame for a queen mattress|queen bed base", "bed frame", Dim("bed size", "queen"), extras="price|colour"),
    N("bed with storage underneath|bed frame with drawers for a small room", "bed frame", Has("storage options"), extras="price|colour"),
    N("tall shelf for lots of books|bookcase for a big book collection", "bookshelf", Min("shelves", 5), extras="price|colour"),
    N("chairs for my kitchen table|set of 4 dining chairs", "dining chair", ("pack", None, 4, None), extras="price|colour"),
    N("coffee table with storage|coffee table to hide remotes and magazines", "coffee table", Has("storage options"), extras="price|colour"),
    N("car seat for a newborn|car seat for bringing the baby home from the hospital", "car seat", Dim("stage", "infant"), extras="price|colour"),
    N("car seat that lasts from baby to big kid|one car seat for all ages", "car seat", Dim("stage", "all-in-one"), extras="price|colour"),
    N("dog leash for night walks|leash so cars can see us in the dark", "dog leash", F("reflective"), extras="price|colour"),
]
for _need in NEEDS:
    for _t in _need.types + _need.subs + _need.comps:
        assert _t in TYPES, _t

STYLE_SHARES = {"keyword": 0.13, "attributes": 0.13, "synonym": 0.09, "typo": 0.10, "brand_model": 0.07, "brand": 0.04,
                "price": 0.10, "spec": 0.08, "need": 0.17, "conversational": 0.09}
MODEL_NAMING = {"tech", "phone", "watch", "shoe", "computer", "appliance", "furniture", "outdoor", "baby"}


def _brand_query(rng: random.Random, brand: str) -> str:
    text = brand.lower().replace(".", "")
    if text.endswith(" & co"):
        return text[:-5] if rng.random() < 0.6 else text.replace("&", "and")
    return text


_REPEAT = re.compile(r"\b(\w+) \1\b")
_AN = re.compile(r"\ba (8|11|18)\b")


def _tidy(text: str) -> str:
    """Collapse doubled words ("slim fit fit") and fix "a 8" the way a shopper would write it."""
    return _AN.sub(r"an \1", _REPEAT.sub(r"\1", re.sub(r"\s+", " ", text))).strip()


def _structured(rng: random.Random, p: _Product, style: str) -> tuple[str, Intent] | None:
    pt = p.line.ptype
    intent = Intent({pt.name}, set(pt.subs))
    mods = _modifiers(rng, p)
    if style in ("brand_model", "brand"):
        if style == "brand_model":
            if not p.line.model or pt.naming not in MODEL_NAMING:
                return None
            parts = [_brand_query(rng, p.line.brand) if rng.random() < 0.88 else "", p.line.model.lower()]
            intent.reqs.append(("model", p.line.brand, p.line.model, 1))
            if parts[0]:
                intent.reqs.append(("brand", None, p.line.brand, 0))
            intent.subs = set()
            if rng.random() < 0.55:
                parts.append(_type_term(rng, pt, False)[0] if not pt.model_alone or rng.random() < 0.5 else rng.choice(["phone", "5g", ""]))
            extra = [m for m in mods if m[2][0] in ("colour", "colour_word", "eq", "spec") and (m[2][1] == pt.vspec or m[2][0].startswith("colour"))]
            if extra and rng.random() < 0.45:
                m = rng.choice(extra)
                parts.append(m[0])
                intent.reqs.append(m[2])
            return " ".join(x for x in parts if x), intent
        term = _type_term(rng, pt, False)[0]
        intent.reqs.append(("brand", None, p.line.brand, 1))
        chosen = rng.sample(mods, k=min(len(mods), rng.choice([0, 0, 1])))
        intent.reqs += [m[2] for m in chosen]
        brand = _brand_query(rng, p.line.brand)
        text = _assemble(rng, term, chosen)
        return (f"{brand} {text}" if rng.random() < 0.75 else f"{text} {brand}"), intent
    if pt.compat and rng.random() < 0.6:  # "case for voltra x5 pro"
        term = _type_term(rng, pt, style == "synonym")[0]
        compat = p.line.compat.lower()
        text = rng.choice([f"{compat} {term}", f"{term} for {compat}", f"{compat.split(' ', 1)[1]} {term}", f"{term} {compat}"])
        intent.reqs.append(("compat", None, p.line.compat, 1))
        return text, intent
    synonym = style == "synonym"
    if synonym and not pt.shopper:
        return None
    term, _ = _type_term(rng, pt, synonym)
    spec_mods = [m for m in mods if m[2][0] in ("min", "max", "eq", "spec")]
    other = [m for m in mods if m[2][0] not in ("min", "max", "eq", "spec")]
    if style == "keyword":
        chosen = rng.sample(mods, k=min(len(mods), rng.choice([0, 0, 1, 1])))
    elif style == "attributes":
        chosen = rng.sample(mods, k=min(len(mods), rng.choice([2, 2, 3])))
        if len(chosen) < 2:
            return None
    elif style in ("synonym", "typo"):
        chosen = rng.sample(mods, k=min(len(mods), rng.choice([0, 1, 1, 2])))
    elif style == "price":
        chosen = rng.sample(other, k=min(len(other), rng.choice([0, 1, 1, 2])))
    elif style == "spec":
        if not spec_mods:
            return None
        chosen = rng.sample(spec_mods, k=1) + rng.sample(other, k=min(len(other), rng.choice([0, 0, 1])))
    else:  # conversational
        chosen = rng.sample(mods, k=min(len(mods), rng.choice([1, 2, 2, 3])))
    intent.reqs += [m[2] for m in chosen]
    if style == "conversational":
        gender_mods = [m for m in chosen if m[2][0] == "gender"]
        if gender_mods and rng.random() < 0.6:
            g = gender_mods[0]
            chosen = [m for m in chosen if m is not g] + [(rng.choice(_split(GENDER_FORMS[g[2][2]][2])), "post", g[2])]
    text = _assemble(rng, term, chosen)
    if style == "price" or (style in ("conversational", "attributes") and rng.random() < 0.15):
        budget = _budget(rng, p.price)
        text += " " + rng.choice(BUDGET_FORMS).format(b=budget)
        intent.reqs.append(("price", None, float(budget), None))
    if style == "typo":
        typo = _typo(rng, text)
        if typo == text:
            return None
        text = typo
    if style == "conversational":
        wrapper = rng.choice(WRAPPERS)
        q = text
        if wrapper.startswith(("i need", "can you recommend")) and not term.endswith("s") and rng.random() < 0.7:
            q = "a " + text
        text = wrapper.format(q=q)
    return text, intent


def _need_query(rng: random.Random, need: Need, by_type: dict[str, list[_Product]]) -> tuple[str, Intent] | None:
    intent = Intent(set(need.types), set(need.subs), set(need.comps), list(need.reqs))
    pool = [p for t in need.types for p in by_type.get(t, []) if all(_meets(p, r) for r in need.reqs)]
    if not pool:
        return None
    if need.force == "price":  # "on a budget": a budget around the cheaper half of what fits
        pool = sorted(pool, key=lambda p: p.price)[: max(1, len(pool) // 2)]
    seed = rng.choice(pool)
    phrase = rng.choice(need.phrases)
    if need.age:
        if seed.line.age is None or seed.line.age[1] >= 18:
            return None
        age = rng.randint(max(3, seed.line.age[1]), min(seed.line.age[2], seed.line.age[1] + 4, 14))
        phrase = phrase.format(age=age)
        intent.reqs.append(("age", None, age, None))
    extras = []
    if need.force == "price" or ("price" in need.extras and rng.random() < 0.2):
        budget = _budget(rng, seed.price)
        extras.append((rng.choice(BUDGET_FORMS).format(b=budget), ("price", None, float(budget), None)))
    if rng.random() < 0.3:
        options = [m for m in _modifiers(rng, seed) if (m[2][0] == "gender" and "gender" in need.extras)
                   or (m[2][0] == "size" and "size" in need.extras) or (m[2][0].startswith("colour") and "colour" in need.extras)]
        if options:
            m = rng.choice(options)
            extras.insert(0, (m[0], m[2]))
    for text, req in extras:
        phrase += rng.choice([" ", ", ", " ", " - "]) + text
        intent.reqs.append(req)
    return phrase, intent


def _make_queries(rng: random.Random, products: list[_Product], n_queries: int) -> tuple[list[dict], list[str]]:
    by_type: dict[str, list[_Product]] = {}
    for p in products:
        by_type.setdefault(p.line.ptype.name, []).append(p)
    styles = [s for s, share in STYLE_SHARES.items() for _ in range(round(share * n_queries))]
    while len(styles) < n_queries:
        styles.append("keyword")
    styles = styles[:n_queries]
    rng.shuffle(styles)
    seen: set[str] = set()
    used_needs: dict[int, int] = {}
    queries, query_styles = [], []
    for style in styles:
        for _ in range(200):
            if style == "need":
                k = rng.randrange(len(NEEDS))
                if used_needs.get(k, 0) >= 2:
                    continue
                made = _need_query(rng, NEEDS[k], by_type)
            else:
                made = _structured(rng, rng.choice(products), style)
            if made is None:
                continue
            text, intent = made
            text = _tidy(text)
            if rng.random() < 0.08:
                text = text[:1].upper() + text[1:]
            if text.lower() in seen:
                continue
            candidates = [p for t in intent.types | intent.subs | intent.comps for p in by_type.get(t, [])]
            relevance = {p.product_id: g for p in candidates if (g := _grade(p, intent)) > 0}
            if not relevance or max(relevance.values()) < 3:
                continue
            if style == "need":
                used_needs[k] = used_needs.get(k, 0) + 1
            seen.add(text.lower())
            queries.append({"query": text, "relevance": dict(sorted(relevance.items()))})
            query_styles.append(style)
            break
    order = list(range(len(queries)))
    rng.shuffle(order)
    queries = [queries[i] for i in order]
    query_styles = [query_styles[i] for i in order]
    n = len(queries)
    n_train, n_dev = int(0.6 * n), int(0.2 * n)
    out = []
    for i, q in enumerate(queries):
        split = "train" if i < n_train else "dev" if i < n_train + n_dev else "test"
        out.append({"query_id": f"Q{i + 1:04d}", "split": split, "query": q["query"], "relevance": q["relevance"]})
    return out, query_styles


# --------------------------------------------------------------------------
# Store policies (what the shopping assistant answers from)
# --------------------------------------------------------------------------

POLICIES = [
    ("returns", "Return window",
     ("Most items can be returned within 30 days of delivery for a full refund to the original payment method. Items must be unused and "
     "in their original condition, with tags attached and the original packaging where possible. Footwear, electronics and computers, "
     "furniture, and final-sale or hygiene items have their own rules, described in the policies below.")),
    ("returns", "Footwear returns",
     ("Shoes and boots can be returned or exchanged within 30 days of delivery if they are unworn, or have been worn only indoors on a "
     "clean surface to check the fit, with clean soles and the original shoe box. Shoes that have been worn outside (dirty or scuffed "
     "soles, mud, visible wear on the tread or creased uppers) cannot be returned or exchanged. The only exception is a manufacturing "
     "defect, such as a sole coming apart or stitching failing, which is covered by our 1-year warranty even after outdoor wear.")),
    ("returns", "Clothing and outerwear returns",
     ("Clothing, outerwear, hats and socks can be returned within 30 days if unworn, unwashed and with the original tags attached. "
     "Swimwear and underwear must still have the hygiene liner in place, and multipacks of socks must be unopened. Items returned "
     "worn, washed or smelling of smoke or perfume are sent back to you.")),
    ("returns", "Electronics and computers returns",
     ("Electronics and computers can be returned within 15 days of delivery. Opened items are accepted if they come back complete with "
     "all accessories, manuals and the original box; a 10% restocking fee applies when parts or packaging are missing. Defective items "
     "are refunded or exchanged with no fee. Sign out of your accounts and reset phones, watches and laptops to factory settings before "
     "sending them back.")),
    ("returns", "Final sale and hygiene items",
     ("Clearance items marked final sale, opened beauty and personal-care products, opened packs of diapers, used baby bottles, grocery "
     "items and opened pet food cannot be returned unless they arrived damaged, defective or not as described. Unopened packs of "
     "diapers, baby bottles and pet food can be returned within 30 days.")),
    ("returns", "Furniture returns",
     ("Furniture can be returned within 30 days of delivery if it has not been assembled and is in its original packaging. We collect "
     "it by freight and deduct a $79 pickup fee from the refund. Furniture that arrives damaged is collected and replaced free of "
     "charge; report the damage within 48 hours of delivery.")),
    ("returns", "How to return an item and when you get your refund",
     ("Start a return from Orders in your account or ask the shopping assistant. Choose the items and a reason, print the prepaid label "
     "(return shipping is free within the US) and drop the parcel at any carrier location within 14 days. Refunds go to the original "
     "payment method 3-5 business days after the parcel reaches our warehouse; your bank may take another 2-5 business days to show it. "
     "Original shipping charges are refunded only when the return is due to our error.")),
    ("returns", "Exchanges",
     ("Size and colour exchanges are free for footwear and clothing within 30 days, under the same condition rules as returns: shoes "
     "must be unworn or worn only indoors. Start an exchange from Orders; we ship the replacement as soon as the carrier scans your "
     "return, at no extra shipping cost. If the new size is out of stock, we refund you instead.")),
    ("returns", "Damaged, defective or wrong items",
     ("If an item arrives damaged, defective or is not what you ordered, tell us within 48 hours of delivery and include a photo. We "
     "send a replacement at no cost or refund you in full, including shipping, and you never pay return postage for our mistakes.")),
    ("shipping", "Standard and express shipping",
     ("Standard shipping takes 3-5 business days and is free on orders over $50; smaller orders pay $5.99. Express shipping (1-2 "
     "business days) costs $14.99, and next-day delivery is $24.99 in eligible ZIP codes. Delivery estimates count business days "
     "from the day the order ships.")),
    ("shipping", "Processing times and order cut-off",
     ("Orders placed before 2 p.m. Eastern time on a business day ship the same day; later orders ship the next business day. We do not "
     "ship on weekends or public holidays. Items marked pre-order or backordered ship on the date shown on the product page, and the "
     "rest of the order ships separately at no extra charge.")),
    ("shipping", "Furniture and large item delivery",
     ("Furniture and other large items ship by freight within 7-10 business days. The carrier calls or texts to book a 4-hour delivery "
     "window. Curbside delivery is free; room-of-choice delivery costs $49, and white-glove delivery with assembly and packaging "
     "removal costs $129.")),
    ("shipping", "International shipping",
     ("We ship to Canada, the UK and the EU. Duties and taxes are calculated and charged at checkout, so nothing is due on delivery, and "
     "international orders arrive in 7-14 business days. Furniture, grocery items and power banks over 100 Wh ship within the US only.")),
    ("order status", "Tracking your order",
     ("You get a confirmation email when you order and a tracking number when the parcel leaves our warehouse. You can also check the "
     "status in Orders or ask the assistant: Processing (being picked and packed), Shipped, Out for delivery, or Delivered. Orders "
     "with several items may arrive in separate parcels, each with its own tracking number.")),
    ("order status", "Late, lost or missing parcels",
     ("If tracking has not updated for 5 business days, or a parcel shows as delivered but you cannot find it, check with neighbours "
     "and your building's mailroom, then contact us within 14 days of the expected delivery date. We open a claim with the carrier "
     "and send a replacement or a full refund, usually within 2 business days.")),
    ("cancellations", "Cancelling an order",
     ("You can cancel an order free of charge from Orders until it ships, usually within 2 hours of ordering. Once an order has shipped "
     "it cannot be cancelled; refuse the delivery or return it under the normal return policy. Furniture orders can be cancelled free "
     "of charge until the freight carrier collects them; after that the $79 furniture pickup fee applies.")),
    ("cancellations", "Changing an order",
     ("The shipping address, shipping speed, size and colour can be changed from Orders until the order ships. Items cannot be added "
     "to an order that has already been placed; place a second order instead. Orders we cancel because an item is out of stock are "
     "refunded in full within 2 business days.")),
    ("warranty", "Standard warranty",
     ("Every product carries a 1-year warranty from the delivery date against manufacturing defects. For footwear this covers soles "
     "separating, broken eyelets and failed stitching; for clothing and bags, failed seams and zippers. Normal wear of soles and "
     "cushioning, misuse and accidental damage are not covered. Your order number is your proof of purchase.")),
    ("warranty", "Electronics and computers warranty",
     ("Electronics, computers and baby monitors carry a 2-year warranty against defects, including a battery that falls below 80% of "
     "its original capacity. An optional protection plan, bought within 30 days of delivery, extends cover to 4 years and adds "
     "accidental damage such as drops, cracked screens and spills.")),
    ("warranty", "Making a warranty claim",
     ("Start a warranty claim from Orders or with the assistant and describe the fault with a photo or short video. We reply within 2 "
     "business days; if the fault is covered we repair, replace or refund the item and pay shipping both ways. A replacement is covered "
     "for the rest of the original warranty or 90 days, whichever is longer.")),
    ("payment", "Payment methods and when you are charged",
     ("We accept Visa, Mastercard, American Express, Discover, PayPal, Apple Pay, Google Pay and our gift cards. Your card is authorised "
     "when you order and charged when the order ships; if an order ships in several parcels, each is charged as it ships. Sales tax is "
     "calculated at checkout from the delivery address.")),
    ("payment", "Buy now, pay later",
     ("Orders over $100 can be split into 4 interest-free payments, taken every 2 weeks, subject to approval by our payment partner at "
     "checkout. Refunds for returned items reduce your remaining instalments first. Late fees, if any, are charged by the payment "
     "partner, not by us.")),
    ("price match", "Price match",
     ("If you find a lower price on an identical, in-stock item sold and shipped by a major US retailer, we match it at checkout or "
     "refund the difference within 14 days of your purchase. Marketplace sellers, clearance, open-box, bundle, coupon and membership "
     "prices are excluded. Share a link to the offer with customer service or the assistant.")),
    ("price match", "Price drops after you buy",
     ("If we lower the price of an item within 14 days after you bought it, we refund the difference to your original payment method on "
     "request. This does not apply to flash sales lasting less than 24 hours or to orders that used a promo code.")),
    ("gift cards", "Gift cards",
     ("Gift cards come as e-gift cards delivered by email or as physical cards, in amounts from $10 to $500. They never expire, carry no "
     "fees, can be used online and in store and combined with one other payment method, and cannot be exchanged for cash except where "
     "the law requires it.")),
    ("gift cards", "Gift card balance, lost cards and refunds",
     ("Check your balance on the Gift Cards page or ask the assistant. A lost or stolen card is replaced for its remaining balance if you "
     "have the order number or original receipt. Items bought with a gift card are refunded to a new gift card, and gift cards "
     "themselves cannot be returned.")),
    ("product care", "Caring for running and athletic shoes",
     ("Take out the insoles and let shoes air dry at room temperature; never put them in a washing machine, tumble dryer or next to a "
     "radiator, which weakens the glue and foam. Clean mesh uppers with a soft brush and mild soap. Running shoe cushioning usually "
     "lasts 300-500 miles, so replace a pair when the midsole feels flat.")),
    ("product care", "Caring for waterproof and down outerwear",
     ("Wash rain jackets with a technical cleaner, never fabric softener, and tumble dry on low to reactivate the water-repellent "
     "finish; when rain stops beading on the fabric, re-proof it with a spray-on treatment. Down jackets and sleeping bags can be "
     "machine washed on a gentle cycle with down wash and dried on low with dryer balls until no clumps remain.")),
    ("product care", "Looking after batteries in phones, watches and earbuds",
     ("Keep devices out of hot cars and direct sun, and store them at 40-80% charge if you won't use them for a while. Use the supplied "
     "cable or a certified charger. Battery life figures such as 'up to 24 hours' are measured with default settings and vary with "
     "screen brightness, noise cancelling and use.")),
    ("product care", "Caring for cookware and kitchen appliances",
     ("Cast iron: hand wash, dry on the stove and rub in a thin layer of oil. Nonstick pans: use wooden or silicone utensils and hand "
     "wash to make the coating last. Descale kettles, coffee makers and espresso machines monthly in hard-water areas with citric "
     "acid or white vinegar.")),
]


def generate_catalog(n_products: int, seed: int = SEED) -> list[dict]:
    """Catalog rows of the demo schema; deterministic for a given seed."""
    rng = random.Random(seed)
    return [p.row for p in _make_products(rng, n_products)]


def _generate(out_dir: Path, n_products: int, n_queries: int, seed: int) -> list[str]:
    products = _make_products(random.Random(seed), n_products)
    queries, styles = _make_queries(random.Random(seed + 1), products, n_queries)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out_dir / "catalog.jsonl", [p.row for p in products])
    _write_jsonl(out_dir / "queries.jsonl", queries)
    _write_jsonl(
        out_dir / "policies.jsonl",
        [{"policy_id": f"POL{i + 1:02d}", "topic": t, "title": h, "text": x} for i, (t, h, x) in enumerate(POLICIES)],
    )
    return styles


def generate(out_dir: Path, n_products: int = 2400, n_queries: int = 420, seed: int = SEED) -> None:
    _generate(Path(out_dir), n_products, n_queries, seed)


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
    styles = _generate(args.out, args.products, args.queries, SEED)
    counts = {s: styles.count(s) for s in STYLE_SHARES}
    print(f"wrote demo data to {args.out}: {args.products} products, {len(styles)} queries {counts}, {len(POLICIES)} policies")

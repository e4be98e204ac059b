"""Human-rated sentiment of real review sentences, from the VADER paper's data, for training the review model.

    python -m retail.insights.public_sentiment     fetch (once; the setup script does it) and print the counts

The demo reviews are generated, and a model trained only on them reads the
generator's phrasing, not shoppers'. Hutto and Gilbert (ICWSM 2014) had 20
people rate each of 3,708 sentences from Amazon product reviews, 10,605
from film reviews and 4,200 tweets on a -4..+4 scale; the data ships, under the MIT licence, in
the ``vaderSentiment==3.3.2`` source distribution on PyPI
(``additional_resources/hutto_ICWSM_2014.tar.gz``), so it is fetched like any
other package, with no model hub or dataset server. Real sentences carry what
generated ones miss: terse verdicts ("minor gripe."), sarcasm ("nice
paperweight."), comparisons and hedges.

A sentence is positive or negative when its raters' mean is at least
``NEUTRAL_BELOW`` (0.5, half of "slightly") from zero, else neutral. The data
trains only the sentiment head: its sentences have no aspect labels. A fifth
of the Amazon sentences (chosen by a hash of the text, so always the same
ones) is never trained on: it is a second evaluation set of real shoppers'
sentences, beside the hand-written held-out reviews (``dev_split``).
"""

from __future__ import annotations

import argparse
import shutil
import zlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from retail.paths import REPO_ROOT

PACKAGE = "vadersentiment==3.3.2"
PUBLIC_SENTIMENT_DIR = REPO_ROOT / "data" / "public_sentiment"  # fetched, not committed (see .gitignore)
CORPORA = {"amazon": "amazonReviewSnippets_GroundTruth.txt", "movies": "movieReviewSnippets_GroundTruth.txt",
           "tweets": "tweets_GroundTruth.txt", "editorials": "nytEditorialSnippets_GroundTruth.txt"}
# Reviews of products and films, and tweets (short, informal, often sarcastic); editorials are further off.
DEFAULT_CORPORA = ("amazon", "movies", "tweets")
NEUTRAL_BELOW = 0.5


def fetch(directory: Path = PUBLIC_SENTIMENT_DIR) -> Path:
    """Download the sdist from the package index pip uses, keep the four rated files and the licence. Idempotent."""
    if available(directory):
        return directory
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "-d", str(tmp), PACKAGE], check=True)
        sdist = next(tmp.glob("vaderSentiment-*.tar.gz"))
        with tarfile.open(sdist) as outer:
            members = {m.name.split("/", 1)[-1]: m for m in outer.getmembers()}
            inner = outer.extractfile(members["additional_resources/hutto_ICWSM_2014.tar.gz"])
            licence = outer.extractfile(members["LICENSE.txt"]).read()
            with tarfile.open(fileobj=inner) as data:
                staged = tmp / "staged"
                staged.mkdir()
                for member in data.getmembers():
                    name = member.name.rsplit("/", 1)[-1]
                    if name in CORPORA.values():
                        (staged / name).write_bytes(data.extractfile(member).read())
        (staged / "LICENSE.txt").write_bytes(licence)
        (staged / "SOURCE.txt").write_text(f"{PACKAGE} sdist, additional_resources/hutto_ICWSM_2014.tar.gz\n"
                                           "Hutto & Gilbert, VADER, ICWSM 2014. MIT licence (LICENSE.txt).\n")
        missing = [n for n in CORPORA.values() if not (staged / n).exists()]
        if missing:
            raise RuntimeError(f"{PACKAGE}'s sdist lacks {missing}")
        directory.parent.mkdir(parents=True, exist_ok=True)
        if directory.exists():
            shutil.rmtree(directory)
        shutil.move(str(staged), directory)
    return directory


def available(directory: Path = PUBLIC_SENTIMENT_DIR) -> bool:
    return all((directory / name).exists() for name in CORPORA.values())


def polarity(mean_rating: float, neutral_below: float = NEUTRAL_BELOW) -> str:
    if mean_rating >= neutral_below:
        return "positive"
    if mean_rating <= -neutral_below:
        return "negative"
    return "neutral"


def load(corpora=DEFAULT_CORPORA, directory: Path = PUBLIC_SENTIMENT_DIR,
         neutral_below: float = NEUTRAL_BELOW) -> list[dict]:
    """Rated sentences as ``{"text", "sentiment", "source"}`` (lines: id, mean rating, text)."""
    unknown = set(corpora) - set(CORPORA)
    if unknown:
        raise ValueError(f"unknown public sentiment corpora {sorted(unknown)}; known: {sorted(CORPORA)}")
    rows = []
    for corpus in corpora:
        path = directory / CORPORA[corpus]
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `python -m retail.insights.public_sentiment` "
                                    "(the setup script does) or train without --public-sentiment")
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or not parts[2].strip():
                continue
            rows.append({"text": parts[2].strip(), "sentiment": polarity(float(parts[1]), neutral_below),
                         "source": corpus})
    return rows


def is_dev(row: dict) -> bool:
    """The evaluation fifth of the Amazon sentences: fixed by the text, whatever else is loaded."""
    return row["source"] == "amazon" and zlib.crc32(row["text"].encode()) % 5 == 0


def dev_split(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(train, dev): the dev rows are never trained on."""
    return [r for r in rows if not is_dev(r)], [r for r in rows if is_dev(r)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", type=Path, default=PUBLIC_SENTIMENT_DIR)
    args = parser.parse_args(argv)
    directory = fetch(args.directory)
    from collections import Counter

    for corpus in CORPORA:
        rows = load([corpus], directory)
        print(f"{corpus:<11} {len(rows):>6} sentences  {dict(sorted(Counter(r['sentiment'] for r in rows).items()))}")
    print(f"in {directory}")


if __name__ == "__main__":
    main()

"""Acceptance thresholds of the extractor on the shared, hand-annotated corpus.

Runs the extractor over ../shared/corpus/*.txt and scores it with ../shared/eval/score.py
against all gold files together: overall F1 ≥ 0.90, every clear mission-topic item found
and tagged, kind accuracy ≥ 0.85, negotiation-status accuracy ≥ 0.95.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from suivi_ingest.extraction import Extractor

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "eval" / "gold"
SCORER = SHARED / "eval" / "score.py"

pytestmark = pytest.mark.skipif(
    not (CORPUS.is_dir() and GOLD.is_dir() and SCORER.is_file()),
    reason=f"the shared corpus and scorer are not present at {SHARED}",
)


@pytest.fixture(scope="module")
def extracted() -> list[tuple[str, list]]:
    extractor = Extractor()
    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append((text, extractor.extract(text, path.name)))
    return out


@pytest.fixture(scope="module")
def scores(tmp_path_factory, extracted) -> dict:
    tmp = tmp_path_factory.mktemp("quality")
    pred = tmp / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as out:
        for _, items in extracted:
            for item in items:
                out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
    gold = tmp / "gold.jsonl"
    gold.write_text(
        "".join(p.read_text(encoding="utf-8").rstrip("\n") + "\n" for p in sorted(GOLD.glob("*.jsonl"))),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(SCORER), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def test_overall_f1(scores):
    assert scores["f1"] >= 0.90, f"F1 {scores['f1']} (P {scores['precision']}, R {scores['recall']})"


def test_no_mission_topic_item_missed(scores):
    missed = {t: m["missed"] for t, m in scores["mission_topics"].items() if m["missed"]}
    assert not missed, f"mission-topic items missed or not tagged: {missed}"


def test_kind_accuracy(scores):
    assert scores["kind_accuracy"] >= 0.85


def test_negotiation_status_accuracy(scores):
    assert scores["negotiation_status_accuracy"] >= 0.95


def test_no_stray_predictions(scores):
    assert scores["stray_predictions"] == 0


def test_offsets_point_at_the_item(extracted):
    """text[start:end], whitespace folded, is the item's text (except across removed furniture)."""
    total = exact = 0
    for text, items in extracted:
        for item in items:
            total += 1
            exact += " ".join(text[item.start : item.end].split()) == item.text
            assert text[item.start : item.end].lstrip()[:1] == item.text[:1]
    assert exact >= 0.97 * total

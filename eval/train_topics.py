#!/usr/bin/env python3
"""Learn the topic weights from the annotations, and estimate them on documents left out.

usage: train_topics.py [--write] [--provided DIR]

Extracts the sample documents (and the provided set, when its folder exists), matches the
items to the gold ones as score.py does, and fits one logistic model per topic over the
features of suivi_ingest.extraction.topics. Cross-validation by document: for each
document, the weights are learned from all the others and the left-out document is
scored with them; those figures are printed per set. With --write, the weights learned
from every document go to topic_weights.json (numbers over feature names, no text).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import report
import score
from sklearn.linear_model import LogisticRegression
from suivi_ingest.extraction import Extractor
from suivi_ingest.extraction.topics import FEATURES, MISSION_TOPICS, TOPICS, WEIGHTS_FILE, TopicModel

REPO = Path(__file__).resolve().parents[1]
THRESHOLDS = [x / 100 for x in range(20, 75, 5)]


class RecordingModel(TopicModel):
    """Keeps the features of every item instead of deciding (the weights are what we learn)."""

    def __init__(self) -> None:
        super().__init__({})
        self.records: list[dict[str, list[float]]] = []

    def decide(self, features):
        self.records.append(features)
        return []


@dataclass
class Document:
    name: str
    golds: list[dict]
    preds: list[dict]
    features: list[dict[str, list[float]]]
    examples: list[tuple[dict, set[str]]] = field(default_factory=list)  # (features, gold topics)


def extract_set(docs_dir: Path, gold_dir: Path) -> list[Document]:
    model = RecordingModel()
    extractor = Extractor(topic_model=model)
    golds = report.load_gold(gold_dir)
    out = []
    for path in sorted(docs_dir.glob("*.txt")):
        model.records = []
        preds = [item.to_dict() for item in extractor.extract(path.read_text(encoding="utf-8"), path.name)]
        for p in preds:
            p["_tok"] = score.tokens(p["text"])
        doc = Document(path.name, [g for g in golds if g["doc"] == path.name], preds, model.records)
        index = {id(p): i for i, p in enumerate(preds)}
        for p, g in score.match(preds, doc.golds):
            doc.examples.append((doc.features[index[id(p)]], set(g.get("topics") or [])))
        out.append(doc)
    return out


def fit(examples: list[tuple[dict, set[str]]]) -> dict[str, dict]:
    """Weights shared by all topics (a cue in the item counts alike whatever the topic), with a
    bias per topic: rare topics borrow the strength of the frequent ones."""
    x, y = [], []
    for feats, gold in examples:
        for k, topic in enumerate(TOPICS):
            x.append(feats[topic] + [1.0 if j == k else 0.0 for j in range(len(TOPICS))])
            y.append(topic in gold)
    coef = LogisticRegression(C=1.0, max_iter=5000, fit_intercept=False).fit(x, y).coef_[0]
    shared = [round(float(w), 4) for w in coef[: len(FEATURES)]]
    weights = {
        topic: {"bias": round(float(coef[len(FEATURES) + k]), 4), "weights": shared, "threshold": 0.5}
        for k, topic in enumerate(TOPICS)
    }
    _set_thresholds(weights, examples)
    return weights


def _micro_f1(model: TopicModel, examples, topics) -> float:
    tp = fp = fn = 0
    for feats, gold in examples:
        pred = set(model.decide(feats))
        tp += len(pred & gold & topics)
        fp += len((pred - gold) & topics)
        fn += len((gold - pred) & topics)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _set_thresholds(weights: dict[str, dict], examples) -> None:
    """One threshold for the mission topics and one for the others, best micro-F1 on the training items."""
    for group in (set(TOPICS) - set(MISSION_TOPICS), set(MISSION_TOPICS)):
        best = max(THRESHOLDS, key=lambda th: _with_threshold(weights, group, th, examples))
        for t in group:
            weights[t]["threshold"] = best


def _with_threshold(weights, group, threshold, examples) -> float:
    trial = {t: dict(w, threshold=threshold) if t in group else w for t, w in weights.items()}
    return _micro_f1(TopicModel(trial), examples, set(TOPICS))


def retag(doc: Document, model: TopicModel) -> list[dict]:
    return [dict(p, topics=model.decide(f)) for p, f in zip(doc.preds, doc.features, strict=True)]


def left_out(sets: dict[str, list[Document]]) -> dict[str, list[dict]]:
    everything = [d for docs in sets.values() for d in docs]
    out = {}
    for title, docs in sets.items():
        preds = []
        for doc in docs:
            train = [ex for other in everything if other is not doc for ex in other.examples]
            preds += retag(doc, TopicModel(fit(train)))
        out[title] = preds
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"save the weights to {WEIGHTS_FILE.name}")
    ap.add_argument(
        "--provided",
        type=Path,
        default=Path(os.environ.get("SUIVI_EVAL_EXTRA", REPO.parent / "shared/eval/extra")),
    )
    args = ap.parse_args()
    sets = {"sample documents": extract_set(REPO / "samples" / "corpus", REPO / "eval" / "gold")}
    if (args.provided / "docs").is_dir() and (args.provided / "gold").is_dir():
        sets["provided set"] = extract_set(args.provided / "docs", args.provided / "gold")
    else:
        print(f"provided set not found at {args.provided}: trained and cross-validated on the samples only\n")
    for title, preds in left_out(sets).items():
        golds = [g for d in sets[title] for g in d.golds]
        print(report.report(f"{title}, topics learned without the document (left out)", golds, preds))
    if args.write:
        weights = fit([ex for docs in sets.values() for d in docs for ex in d.examples])
        WEIGHTS_FILE.write_text(json.dumps({"features": list(FEATURES), "topics": weights}, indent=1) + "\n")
        print(f"weights written to {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()

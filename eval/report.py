#!/usr/bin/env python3
"""Print the extractor's scores per document and per field, as markdown tables.

usage: report.py GOLD_DIR PRED.jsonl [--title TITLE]

The rules are those of score.py (ANNOTATION.md, "Scoring"); this adds the fields score.py
does not break down: kind accuracy and topic micro-F1 per document, actors on matched
pairs, and the support of each topic.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import score  # the scorer beside this file: a script's folder is on sys.path


def load_gold(gold_dir: Path) -> list[dict]:
    items: list[dict] = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        items += score.load(str(path))
    return items


def _counts(pairs: list[tuple[dict, dict]], field: str) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for p, g in pairs:
        gold, pred = set(g.get(field) or []), set(p.get(field) or [])
        counts.update(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))
    return counts


def _f1(counts: collections.Counter) -> tuple[float, float, float]:
    return score.prf(counts["tp"], counts["fp"], counts["fn"])


def pairs_by_doc(golds: list[dict], preds: list[dict]) -> dict[str, list[tuple[dict, dict]]]:
    docs = sorted({g["doc"] for g in golds})
    return {
        d: score.match([p for p in preds if p["doc"] == d], [g for g in golds if g["doc"] == d]) for d in docs
    }


def document_table(result: dict, by_doc: dict[str, list]) -> list[str]:
    rows = [
        "| document | P | R | F1 | gold (clear) | predicted | kind | topics F1 | actors F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for doc, r in result["per_doc"].items():
        pairs = by_doc[doc]
        kind = sum(p.get("kind") == g.get("kind") for p, g in pairs) / len(pairs) if pairs else 0.0
        rows.append(
            f"| {doc} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['gold_clear']} "
            f"| {r['predicted']} | {kind:.2f} | {_f1(_counts(pairs, 'topics'))[2]:.2f} "
            f"| {_f1(_counts(pairs, 'actors'))[2]:.2f} |"
        )
    all_pairs = [pair for pairs in by_doc.values() for pair in pairs]
    gold = sum(r["gold_clear"] for r in result["per_doc"].values())
    predicted = sum(r["predicted"] for r in result["per_doc"].values())
    rows.append(
        f"| **overall** | **{result['precision']:.3f}** | **{result['recall']:.3f}** | **{result['f1']:.3f}** "
        f"| {gold} | {predicted} | **{result['kind_accuracy']:.2f}** "
        f"| **{result['topics_micro']['f1']:.2f}** | **{_f1(_counts(all_pairs, 'actors'))[2]:.2f}** |"
    )
    return rows


def topic_table(result: dict, golds: list[dict]) -> list[str]:
    support = collections.Counter(t for g in golds for t in g.get("topics") or [])
    rows = ["| topic | P | R | F1 | gold items |", "|---|---|---|---|---|"]
    for topic, r in sorted(result["topics"].items(), key=lambda kv: -support[kv[0]]):
        rows.append(
            f"| {topic} | {r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} | {support[topic]} |"
        )
    tm = result["topics_micro"]
    rows.append(f"| **micro** | **{tm['precision']:.2f}** | **{tm['recall']:.2f}** | **{tm['f1']:.2f}** | |")
    return rows


def field_lines(result: dict, by_doc: dict[str, list], preds: list[dict]) -> list[str]:
    all_pairs = [pair for pairs in by_doc.values() for pair in pairs]
    ap, ar, af = _f1(_counts(all_pairs, "actors"))
    unspecified = sum(1 for p in preds if (p.get("actors") or ["unspecified"]) == ["unspecified"])
    lines = [
        f"actors on matched items (micro) P={ap:.2f} R={ar:.2f} F1={af:.2f}; "
        f"{unspecified} of {len(preds)} predictions have only `unspecified`",
        f"negotiation status accuracy {result['negotiation_status_accuracy']}; "
        f"stray predictions {result['stray_predictions']}",
    ]
    for topic, m in result["mission_topics"].items():
        missed = f"; missed {', '.join(m['missed'])}" if m["missed"] else ""
        lines.append(f"mission topic {topic}: {m['found_and_tagged']}/{m['gold']} found and tagged{missed}")
    return lines


def report(title: str, golds: list[dict], preds: list[dict]) -> str:
    result = score.score(golds, preds)
    by_doc = pairs_by_doc(golds, preds)
    lines = [f"## {title}", "", *document_table(result, by_doc), "", *topic_table(result, golds), ""]
    lines += field_lines(result, by_doc, preds)
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold_dir", type=Path)
    ap.add_argument("pred", type=Path)
    ap.add_argument("--title", default="scores")
    args = ap.parse_args()
    print(report(args.title, load_gold(args.gold_dir), score.load(str(args.pred))))


if __name__ == "__main__":
    main()

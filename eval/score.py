#!/usr/bin/env python3
"""Score extracted commitments against hand annotations (see ANNOTATION.md).

usage: score.py GOLD.jsonl PRED.jsonl [--json] [--min-f1 X] [--docs NAME ...]

PRED holds one JSON object a line with at least `doc` and `text`; `kind`, `topics`,
`actors` and `negotiation_status` are scored where present. Exits 1 when --min-f1 is
given and the overall F1 falls below it.
"""

import argparse
import collections
import json
import os
import re
import sys
import unicodedata

MISSION_TOPICS = ("igf_mandate", "funding", "nri_coordination", "gdc_wsis_alignment")
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    text = unicodedata.normalize("NFKC", text or "").lower().replace("’", "'")
    return collections.Counter(TOKEN.findall(text))


def load(path):
    items = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                sys.exit(f"{path}:{n}: not JSON: {exc}")
            item["doc"] = os.path.basename(str(item.get("doc", "")))
            item["_tok"] = tokens(item.get("text", ""))
            items.append(item)
    return items


def overlap(pred, gold):
    shared = sum((pred["_tok"] & gold["_tok"]).values())
    g = sum(gold["_tok"].values()) or 1
    p = sum(pred["_tok"].values()) or 1
    return shared / g, shared / p


def match(preds, golds):
    """One-to-one matching, best overlaps first. Returns [(pred, gold)]."""
    candidates = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            cov_g, cov_p = overlap(p, g)
            if cov_g >= 0.6 and cov_p >= 0.4:
                candidates.append((cov_g + cov_p, i, j))
    candidates.sort(reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((preds[i], golds[j]))
    return pairs


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def score(golds, preds, docs=None):
    if docs:
        golds = [g for g in golds if g["doc"] in docs]
        preds = [p for p in preds if p["doc"] in docs]
    gold_docs = {g["doc"] for g in golds}
    per_doc, all_pairs = {}, []
    tot = collections.Counter()
    for doc in sorted(gold_docs):
        g_doc = [g for g in golds if g["doc"] == doc]
        p_doc = [p for p in preds if p["doc"] == doc]
        pairs = match(p_doc, g_doc)
        all_pairs += pairs
        tp = sum(1 for _, g in pairs if g.get("certainty", "clear") == "clear")
        soft = len(pairs) - tp
        fp = len(p_doc) - len(pairs)
        fn = sum(1 for g in g_doc if g.get("certainty", "clear") == "clear") - tp
        per_doc[doc] = dict(
            zip(("precision", "recall", "f1"), prf(tp, fp, fn), strict=True),
            gold_clear=tp + fn,
            predicted=len(p_doc),
            hits=tp,
            borderline_hits=soft,
        )
        tot.update(tp=tp, fp=fp, fn=fn)
    out = dict(zip(("precision", "recall", "f1"), prf(tot["tp"], tot["fp"], tot["fn"]), strict=True))
    out["stray_predictions"] = sum(1 for p in preds if p["doc"] not in gold_docs)
    out["per_doc"] = per_doc

    topic_counts = collections.defaultdict(collections.Counter)
    kind_ok = status_ok = status_n = 0
    for p, g in all_pairs:
        gt, pt = set(g.get("topics") or []), set(p.get("topics") or [])
        for t in gt | pt:
            topic_counts[t]["tp" if t in gt and t in pt else "fn" if t in gt else "fp"] += 1
        kind_ok += p.get("kind") == g.get("kind")
        if g.get("negotiation_status", "none") != "none":
            status_n += 1
            status_ok += p.get("negotiation_status") == g.get("negotiation_status")
    out["topics"] = {
        t: dict(zip(("precision", "recall", "f1"), prf(c["tp"], c["fp"], c["fn"]), strict=True))
        for t, c in sorted(topic_counts.items())
    }
    micro = collections.Counter()
    for c in topic_counts.values():
        micro.update(c)
    out["topics_micro"] = dict(
        zip(("precision", "recall", "f1"), prf(micro["tp"], micro["fp"], micro["fn"]), strict=True)
    )
    out["kind_accuracy"] = round(kind_ok / len(all_pairs), 3) if all_pairs else 0.0
    out["negotiation_status_accuracy"] = round(status_ok / status_n, 3) if status_n else None

    # Mission topics: each clear gold item on one of them must be found and tagged so.
    found = {id(g): p for p, g in all_pairs}
    mission = {}
    for t in MISSION_TOPICS:
        items = [g for g in golds if t in (g.get("topics") or []) and g.get("certainty", "clear") == "clear"]
        hit = [g for g in items if id(g) in found and t in (found[id(g)].get("topics") or [])]
        mission[t] = {
            "gold": len(items),
            "found_and_tagged": len(hit),
            "missed": [g["id"] for g in items if g not in hit],
        }
    out["mission_topics"] = mission
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--json", action="store_true", help="print the whole result as JSON")
    ap.add_argument("--min-f1", type=float, default=None)
    ap.add_argument("--docs", nargs="*", help="score only these documents")
    args = ap.parse_args()
    result = score(load(args.gold), load(args.pred), set(args.docs) if args.docs else None)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for doc, r in result["per_doc"].items():
            print(
                f"{doc:55s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
                f"(gold {r['gold_clear']}, predicted {r['predicted']})"
            )
        for t, m in result["mission_topics"].items():
            print(
                f"mission topic {t:20s} {m['found_and_tagged']}/{m['gold']} found and tagged"
                + (f"; missed {', '.join(m['missed'])}" if m["missed"] else "")
            )
        tm = result["topics_micro"]
        print(
            f"topics on matched items (micro) P={tm['precision']:.3f} R={tm['recall']:.3f} F1={tm['f1']:.3f}"
        )
        print(
            f"kind accuracy {result['kind_accuracy']}; negotiation status accuracy "
            f"{result['negotiation_status_accuracy']}; stray predictions {result['stray_predictions']}"
        )
        print(f"overall P={result['precision']:.3f} R={result['recall']:.3f} F1={result['f1']:.3f}")
    if args.min_f1 is not None and result["f1"] < args.min_f1:
        sys.exit(1)


if __name__ == "__main__":
    main()

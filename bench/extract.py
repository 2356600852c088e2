"""Throughput of the commitment extractor vs the plain fr_core_news_sm pipeline, and memory.

usage: .venv/bin/python bench/extract.py [--corpus DIR] [--size-mb 50] [--skip-large]

1. Both runs over the same corpus texts in one process (each warmed up first): our
   Extractor, then ``nlp.pipe`` of the full spaCy pipeline (all components on).
2. A ~N MB corpus made of the samples repeated (one file per copy, in a temp dir) is
   extracted document by document; peak RSS must stay below 1 GB.
"""

from __future__ import annotations

import argparse
import glob
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "services" / "ingest"))

from suivi_ingest.extraction import Extractor  # noqa: E402


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would carry a parent's peak over exec)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT / "samples" / "corpus"))
    ap.add_argument("--size-mb", type=float, default=50)
    ap.add_argument("--repeat", type=int, default=3, help="rounds of each run; the best time counts")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--large-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.corpus, "*.txt")))
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    kb = sum(len(t.encode()) for t in texts) / 1024
    print(
        f"machine: {platform.platform()}; CPU: {cpu_model()}; cores: {os.cpu_count()}; Python {platform.python_version()}"
    )
    print(f"corpus: {len(texts)} documents, {kb:.1f} KB")

    if args.large_only:
        large(texts, args.size_mb)
        return
    ex = Extractor()
    for t in texts:  # warm-up pass (both sides get one)
        ex.extract(t, "warmup", "fr")
    rss_ours = peak_rss_mb()
    import spacy

    nlp = spacy.load("fr_core_news_sm")
    list(nlp.pipe(texts))  # warm-up pass
    # alternate the two, several rounds, and keep each side's best time: on a shared machine
    # this cancels most of the noise that other processes add to a single measurement
    # (CPU time of this process too: under a load of other processes it is the steadier figure)
    ours = plain = ours_cpu = plain_cpu = float("inf")
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        n_items = sum(len(ex.extract(t, Path(f).name)) for t, f in zip(texts, files, strict=True))
        ours, ours_cpu = min(ours, time.perf_counter() - t0), min(ours_cpu, time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        n_tokens = sum(len(d) for d in nlp.pipe(texts))
        plain, plain_cpu = min(plain, time.perf_counter() - t0), min(plain_cpu, time.process_time() - c0)
    rss_plain = peak_rss_mb()
    tracemalloc.start()
    for t, f in zip(texts, files, strict=True):
        ex.extract(t, Path(f).name)
    _, ours_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"suivi extractor : {kb / ours:8.1f} KB/s ({ours:.2f} s, {n_items} items)")
    print(
        f"fr_core_news_sm : {kb / plain:8.1f} KB/s ({plain:.2f} s, {n_tokens} tokens, all of {nlp.pipe_names})"
    )
    print(f"ratio           : {plain / ours:8.1f}x")
    print(
        f"ratio, CPU time : {plain_cpu / ours_cpu:8.1f}x ({kb / ours_cpu:.1f} vs {kb / plain_cpu:.1f} KB/s of CPU)"
    )
    print(
        f"memory          : extractor peak RSS {rss_ours:.0f} MB (Python allocations traced: {ours_peak / 2**20:.1f} MB);"
        f" after the plain pipeline {rss_plain:.0f} MB"
    )
    del nlp
    if not args.skip_large:
        # a fresh process, so that the plain pipeline's memory does not count
        run = subprocess.run(
            [
                sys.executable,
                __file__,
                "--corpus",
                args.corpus,
                "--size-mb",
                str(args.size_mb),
                "--large-only",
            ],
            check=False,
        )
        sys.exit(run.returncode)


def large(texts: list[str], size_mb: float) -> None:
    ex = Extractor()
    with tempfile.TemporaryDirectory() as tmp:
        target = size_mb * 1024 * 1024
        written, k = 0, 0
        blob = "\n\n".join(texts)
        while written < target:
            p = Path(tmp) / f"copy{k:05d}.txt"
            p.write_text(blob, encoding="utf-8")
            written += len(blob.encode())
            k += 1
        t0 = time.perf_counter()
        items = 0
        for p in sorted(Path(tmp).iterdir()):  # stream: one document in memory at a time
            items += len(ex.extract(p.read_text(encoding="utf-8"), p.name, "fr"))
        dt = time.perf_counter() - t0
        rss = peak_rss_mb()
        print(
            f"large corpus    : {written / 2**20:.1f} MB in {k} files, {dt:.1f} s, {written / 1024 / dt:.1f} KB/s, "
            f"{items} items, peak RSS {rss:.0f} MB ({'OK' if rss < 1024 else 'ABOVE'} the 1 GB limit)"
        )
        if rss >= 1024:
            sys.exit(1)


if __name__ == "__main__":
    main()

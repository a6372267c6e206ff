"""Fuzz the per-document entry point (read_dump + process_documents) with generated inputs; report the slowest.

    python bench/fuzz.py [--n 100000] [--seed 15] [--top 15] [--jobs 1]

Inputs: random Unicode, mutated real dumps (bench pages and the bundled samples: shuffled lines, inserted
boilerplate, truncation, repeated lines), random HTML, and pathological repeats of regex-hostile tokens.
Prints inputs/s, any exception (there must be none), and the slowest inputs with how each was made.
Each input runs alone (no batch evidence), with the time cap off so the true time shows. Each input's time is
measured twice: wall time, and the CPU time of the process (what the input costs on a machine shared with other
work); an input is slow when either is over 1 s. --jobs N splits the inputs over N processes, job k drawing
its inputs from seed*1000+k (one job draws from the seed itself).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import multiprocessing
import pathlib
import random
import sys
import time
import traceback

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.pipeline import process_documents, read_dump  # noqa: E402
from transforms.rules import load_rules  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench"
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

BOILERPLATE = ["Share this article", "Leave a Reply", "Sign up for our newsletter", "Cookie settings",
               "Advertisement", "Read more", "© 2026 The Ledger. All rights reserved.", "Follow us on Twitter",
               "• Home", "Related stories", "Comments (12)", "Subscribe now"]
# Tokens that hurt backtracking regexes when repeated (dates, entities, bylines, quotes, URLs, e-mails, bullets).
HOSTILE = ["12/12/12 ", "&amp;", "&amp; ", "By ", "by and by ", "— ", "“", "” ", "\"", "'", "http://", "www.",
           "a@b", "@", ".", "...", "•", "| ", "1", "12 ", "Jan ", "Monday, ", "2021-", ":", "-", "<", "</", "<p>",
           "<div>", "&#", "&nbsp;", " ", "\t", "Mr. ", "A. ", "(AP) ", "Photo: ", "Getty Images ", "said ",
           "— said the ", "<a href='x'>", "\u200b", "ﬁ", "\u0301"]
TAGS = ["p", "div", "span", "a", "h1", "h2", "article", "section", "script", "style", "table", "tr", "td", "li",
        "ul", "figure", "figcaption", "time", "meta", "br", "img", "noscript", "iframe", "b", "i"]


def load_seeds() -> list[tuple[str, bytes]]:
    """(format, bytes) of real dumps: the bundled samples and, when present, the bench's dev pages."""
    seeds = [("txt", p.read_bytes()) for p in sorted((ROOT / "samples" / "inbox").glob("*.txt"))]
    seeds += [("html", p.read_bytes()) for p in sorted((ROOT / "tests" / "fixtures" / "html").glob("*.html"))]
    dev = BENCH / "dev"
    if dev.is_dir():
        seeds += [("txt", p.read_bytes()) for p in sorted(dev.glob("*.txt"))[:60]]
        seeds += [("html", gzip.decompress(p.read_bytes())) for p in sorted(dev.glob("*.html.gz"))[:40]]
    return seeds


def random_unicode(rnd: random.Random) -> str:
    n = rnd.choice([10, 100, 1000, 5000, 20000])
    blocks = [(0x20, 0x7e), (0xa0, 0x24f), (0x370, 0x52f), (0x590, 0x6ff), (0x900, 0x97f), (0x3040, 0x30ff),
              (0x4e00, 0x4fff), (0x2000, 0x206f), (0x1f300, 0x1f5ff), (0x0, 0x1f)]
    out = []
    while len(out) < n:
        lo, hi = rnd.choice(blocks)
        out.extend(chr(rnd.randint(lo, hi)) for _ in range(rnd.randint(1, 30)))
        out.append(rnd.choice([" ", " ", "\n", "\n\n", ". "]))
    return "".join(out)


def mutate(rnd: random.Random, text: str) -> tuple[str, str]:
    """One or two mutations of a real dump; returns (text, what was done)."""
    lines = text.split("\n")
    done = []
    for _ in range(rnd.randint(1, 2)):
        op = rnd.choice(["shuffle", "boilerplate", "truncate", "repeat", "repeat_block", "drop", "join"])
        done.append(op)
        if op == "shuffle":
            rnd.shuffle(lines)
        elif op == "boilerplate":
            for _ in range(rnd.randint(1, 40)):
                lines.insert(rnd.randrange(len(lines) + 1), rnd.choice(BOILERPLATE))
        elif op == "truncate":
            joined = "\n".join(lines)
            lines = joined[: rnd.randrange(len(joined) + 1)].split("\n")
        elif op == "repeat" and lines:
            i = rnd.randrange(len(lines))
            lines[i:i + 1] = [lines[i]] * rnd.choice([2, 10, 100, 1000])
        elif op == "repeat_block" and lines:
            i = rnd.randrange(len(lines))
            lines[i:i] = lines[i:i + rnd.randint(2, 10)] * rnd.choice([2, 5, 50])
        elif op == "drop" and lines:
            lines = [ln for ln in lines if rnd.random() > 0.3]
        elif op == "join":
            lines = [" ".join(lines)]
    return "\n".join(lines), "+".join(done)


def random_html(rnd: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rnd.randint(1, 6 if depth < 4 else 2)):
        r = rnd.random()
        if r < 0.4 and depth < 12:
            tag = rnd.choice(TAGS)
            attrs = rnd.choice(["", ' class="content"', ' id="main"', ' class="byline author"',
                                ' itemprop="datePublished" content="2021-03-04"', ' style="display:none"'])
            parts.append(f"<{tag}{attrs}>{random_html(rnd, depth + 1)}</{tag}>")
        elif r < 0.6:
            parts.append(rnd.choice(HOSTILE) * rnd.randint(1, 50))
        elif r < 0.7:
            parts.append(rnd.choice(["<", ">", "</p", "<!--", "-->", "<![CDATA[", "&", "&#x;", "<p <p>"]))
        else:
            parts.append(random_unicode(rnd)[: rnd.choice([20, 200, 2000])])
    return "".join(parts)


def hostile_repeat(rnd: random.Random) -> str:
    token = rnd.choice(HOSTILE) if rnd.random() < 0.8 else "".join(rnd.sample(HOSTILE, 3))
    n = rnd.choice([100, 1000, 5000, 20000])
    sep = rnd.choice(["", "", "\n", " "])
    text = (token + sep) * n
    return text[:200_000]


MAX_INPUT = 1_000_000  # bytes; longer records are rejected by size before any cleaning


def generate(rnd: random.Random, seeds: list[tuple[str, bytes]]) -> tuple[str, str, bytes]:
    """One input: (how it was made, format, bytes), at most MAX_INPUT bytes."""
    how, fmt, data = _generate(rnd, seeds)
    return how, fmt, data[:MAX_INPUT]


def _generate(rnd: random.Random, seeds: list[tuple[str, bytes]]) -> tuple[str, str, bytes]:
    kind = rnd.random()
    if kind < 0.2:
        fmt = rnd.choice(["txt", "html", "jsonl"])
        text = random_unicode(rnd)
        return "unicode", fmt, text.encode("utf-8", "surrogatepass" if rnd.random() < 0.05 else "strict")
    if kind < 0.6:
        fmt, data = rnd.choice(seeds)
        text, how = mutate(rnd, data.decode("utf-8", "replace"))
        enc = rnd.choice(["utf-8", "utf-8", "utf-8", "cp1252", "utf-16"])
        return f"mutated:{how}:{enc}", fmt, text.encode(enc, "replace")
    if kind < 0.8:
        page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{random_html(rnd)}</body></html>"
        return "html", "html", page.encode()
    text = hostile_repeat(rnd)
    fmt = rnd.choice(["txt", "txt", "html"])
    return f"repeat:{text[:24]!r}", fmt, text.encode("utf-8", "replace")


def run_one(data: bytes, fmt: str, rules) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one input through read_dump + process_documents."""
    t0, c0 = time.perf_counter(), time.process_time()
    process_documents(read_dump(data, f"fuzz.{fmt}", fmt, NOW), rules, time_cap_seconds=None)
    return time.perf_counter() - t0, time.process_time() - c0


def run_job(job: tuple[int, int, int]) -> tuple[dict[str, int], list[tuple[float, float, str, str, bytes]]]:
    """Run n inputs drawn from one seed; return the counts and the `top` slowest (wall, cpu, how, fmt, data)."""
    n, seed, top = job
    rules = load_rules()
    rnd = random.Random(seed)
    seeds = load_seeds()
    # as a flow worker does (flows.batch.worker_rules): dateparser's language data loads once, before any input
    run_one(b"Published March 3, 2021\n\n" + b"warm up the lazy imports. " * 20, "txt", rules)
    run_one(b"<p>warm up the lazy imports of the HTML path.</p>" * 20, "html", rules)
    slow: list[tuple[float, float, str, str, bytes]] = []
    count = {"inputs": 0, "errors": 0, "bytes": 0, "over_1s_wall": 0, "over_1s_cpu": 0}
    t_start = time.perf_counter()
    try:
        for i in range(n):
            how, fmt, data = generate(rnd, seeds)
            count["bytes"] += len(data)
            try:
                wall, cpu = run_one(data, fmt, rules)
            except Exception:
                count["errors"] += 1
                print(f"EXCEPTION on input {seed}/{i} ({how}, {fmt}, {len(data)} bytes):\n{traceback.format_exc()}")
                continue
            finally:
                count["inputs"] += 1
            count["over_1s_wall"] += wall > 1
            count["over_1s_cpu"] += cpu > 1
            if wall > 1 or cpu > 1:
                print(f"  over 1 s: input {seed}/{i}, wall {wall:.2f} s, cpu {cpu:.2f} s, {fmt}, {len(data):,} B, "
                      f"{how[:80]}", flush=True)
            if len(slow) < top or wall > slow[-1][0]:
                slow = sorted([*slow, (wall, cpu, how, fmt, data)], key=lambda s: -s[0])[:top]
            if (i + 1) % 2_000 == 0:
                rate = (i + 1) / (time.perf_counter() - t_start)
                print(f"[seed {seed}] {i + 1:,} inputs, {rate:.0f}/s, slowest {slow[0][0]:.2f} s", flush=True)
    except KeyboardInterrupt:
        print(f"[seed {seed}] interrupted: the figures cover the inputs run so far")
    return count, slow


def main() -> None:
    """Generate and run the inputs; print the rate, exceptions and the slowest inputs (also on Ctrl+C)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--save", type=pathlib.Path, help="write the slowest inputs to this folder")
    args = ap.parse_args()
    if args.jobs == 1:
        jobs = [(args.n, args.seed, args.top)]
    else:
        jobs = [(args.n // args.jobs + (k < args.n % args.jobs), args.seed * 1000 + k, args.top)
                for k in range(args.jobs)]
    t_start = time.perf_counter()
    if args.jobs == 1:
        results = [run_job(jobs[0])]
    else:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            results = pool.map(run_job, jobs)
    seconds = time.perf_counter() - t_start
    count = {key: sum(c[key] for c, _ in results) for key in results[0][0]}
    slow = sorted((s for _, top in results for s in top), key=lambda s: -s[0])[: args.top]
    n = count["inputs"]
    print(f"\n{n:,} inputs ({count['bytes'] / 1e6:.0f} MB) in {seconds:.0f} s with {args.jobs} job(s): "
          f"{n / seconds:.1f} inputs/s, {count['errors']} exceptions, {count['over_1s_wall']} over 1 s wall, "
          f"{count['over_1s_cpu']} over 1 s CPU")
    print("slowest (wall, cpu):")
    for wall, cpu, how, fmt, data in slow:
        print(f"  {wall:6.3f} s {cpu:6.3f} s  {fmt:5} {len(data):>8,} B  {how[:90]}")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for k, (_wall, _cpu, _how, fmt, data) in enumerate(slow):
            (args.save / f"slow{k:02d}.{fmt}").write_bytes(data)


if __name__ == "__main__":
    main()

"""Pathological dumps: each must finish in time roughly linear in its size (one bad file must not stall a batch).

    python bench/adversarial.py

Prints the seconds the whole cascade (read_dump + process_documents) takes on each made-up input and the
outcome; a case far slower than its neighbours per MB points at super-linear work.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from transforms.pipeline import process_documents, read_dump
from transforms.rules import load_rules

CASES: dict[str, tuple[str, bytes]] = {
    "one 2 MB line": ("txt", ("word " * 400_000).encode()),
    "200k bullet lines": ("txt", ("• Home\n" * 200_000).encode()),
    "quote soup, no sentence ends": ("txt", (("“" + "He said, “yes” and “no” " * 2000 + "\n\n") * 20).encode()),
    "4 MB paragraph, 4000 quotes": ("txt", (("Lorem ipsum dolor sit amet " * 40 + "“quoted words here” ")
                                            * 4000).encode()),
    "dates on every line": ("txt", ("Monday, January 3, 2022 | 03.01.2022 | 2022-01-03\n" * 20_000).encode()),
    "digits line": ("txt", ("1234567890 " * 200_000).encode()),
    "5000 nested divs": ("html", ("<html><body>" + "<div>" * 5000 + "<p>Text of the article. </p>" * 200
                                  + "</div>" * 5000 + "</body></html>").encode()),
    "300k-char author <meta>": ("html", ('<html><head><meta name="author" content="By Jane Roe '
                                         + "x" * 300_000 + '"></head><body><h1>A headline for the story</h1>'
                                         + "<p>Text of the article, long enough to be kept as a body. </p>" * 40
                                         + "</body></html>").encode()),
    "byline with a 100k token": ("txt", ("A headline for the story\n\nBy Jane Roe " + "y" * 100_000 + "\n\n"
                                         + "Text of the article, long enough to be kept as a body. " * 40).encode()),
    "50k-row table": ("html", ("<html><body><table>" + "<tr><td>cell</td><td>more cell text</td></tr>" * 50_000
                               + "</table></body></html>").encode()),
}


def main() -> None:
    """Run every case once (or those whose name holds the first argument) and print its time."""
    rules = load_rules()
    now = dt.datetime.now(dt.UTC)
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    for name, (fmt, data) in CASES.items():
        if only not in name:
            continue
        began = time.perf_counter()
        docs = process_documents(read_dump(data, name, fmt, now), rules)
        seconds = time.perf_counter() - began
        outcome = docs[0].rejection.reason if docs[0].rejection else f"{len(docs[0].articles)} article(s)"
        mb = len(data) / 1e6
        print(f"{name:32s} {mb:5.1f} MB {seconds:7.2f} s  {seconds / mb:6.2f} s/MB  {outcome}")


if __name__ == "__main__":
    main()

"""Generate a corpus of bad inputs, one or more files per class, each with the outcome it must have.

`python -m tests.badinputs DIR` writes it to DIR; the test (tests/test_bad_inputs.py) mixes it with good dumps
and runs the real flow on it.
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

LOADS = "loads"  # the file yields at least one loaded article

STORY = (
    "Harbour council approves new ferry terminal\n\n"
    "By Priya Raman\n\n"
    "March 4, 2021\n\n"
    "The harbour council voted seven to two on Thursday to approve a new ferry terminal on the eastern quay, "
    "ending a decade of argument over where the island's boats should dock.\n\n"
    "“This is the most important decision the council has taken in a generation,” said council leader "
    "Tomas Berg, who had campaigned for the project since his election.\n\n"
    "Construction is expected to begin in the autumn and take two years, with the regional authority paying "
    "most of the estimated cost. Opponents said the quay was too exposed to winter storms.\n\n"
    "The terminal will have room for two ferries at once and a waiting hall for three hundred passengers, "
    "the council's planning officer told the meeting.\n"
)


def story(title: str, date: str = "March 4, 2021", seed: int = 0) -> str:
    """A distinct plain-text article (the seed changes its words so no two are duplicates)."""
    text = STORY.replace("Harbour council approves new ferry terminal", title).replace("March 4, 2021", date)
    return text.replace("seven to two", f"{seed + 7} to two")


HTML_STORY = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<article><h1>{title}</h1><p class="byline">By Priya Raman</p>
<p>The harbour council voted on Thursday to approve a new ferry terminal on the eastern quay, ending a decade
of argument over where the island’s boats should dock. {extra}</p>
<p>“This is the most important decision the council has taken in a generation,” said council leader Tomas Berg,
who had campaigned for the project since his election to the council four years ago.</p>
<p>Construction is expected to begin in the autumn and take two years, with the regional authority paying most
of the estimated cost. Opponents said the quay was too exposed to winter storms.</p>
</article></body></html>"""


@dataclass(frozen=True)
class Case:
    """One file of the corpus: its class, name, bytes and expected outcome per record (LOADS or a reason)."""

    cls: str
    name: str
    data: bytes
    expect: tuple[str, ...]  # one outcome per record (one for whole files, one per non-blank line of a .jsonl)


def cases(big: bool = True) -> list[Case]:
    """The corpus; `big=False` leaves out the 60 MB file."""
    rnd = random.Random(15)
    out = [
        Case("empty", "empty.txt", b"", ("empty_file",)),
        Case("whitespace_only", "whitespace.txt", b"  \n\t\n \r\n   \n", ("empty_file",)),
        Case("binary", "random.txt", bytes(rnd.randrange(256) for _ in range(20_000)), ("binary_content",)),
        Case("png_named_txt", "picture.txt",
             b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(8_000)),
             ("binary_content",)),
        Case("gzip_named_html", "compressed.html", gzip.compress(HTML_STORY.format(title="Zipped", extra="").encode()),
             ("binary_content",)),
        Case("truncated_utf8", "truncated.txt",
             story("Cut dump keeps its article", seed=1).encode() + "Köln’".encode()[:-1], (LOADS,)),
        Case("mixed_encodings", "mixed_encodings.txt",
             story("Mixed encodings are repaired", seed=2).encode()
             + ("The café on the quay was closed for the day, and the mayor’s office said that it would reopen "
                "before the end of the season.\n").encode("cp1252"), (LOADS,)),
        Case("cp1252_apostrophes", "apostrophes.txt",
             story("Ferry “plan” wins", seed=3).encode().replace(b"island's", b"island\x92s"), (LOADS,)),
        Case("nul_bytes", "nul_bytes.txt",
             story("NUL bytes are stripped", seed=4).replace("Thursday", "Thurs\x00day\x1b[0m").encode(), (LOADS,)),
        Case("single_line_5mb", "one_line.txt", ("word " * 1_000_000).encode(), ("record_too_long",)),
        Case("nested_divs", "nested.html",
             (b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body></html>"),
             ("too_much_markup",)),
        # the HTML vote keeps the one word its candidates found; the critical suite rejects a one-word body
        Case("nested_divs_5000", "nested_5000.html",
             (b"<html><body>" + b"<div>" * 5_000 + b"deep" + b"</div>" * 5_000 + b"</body></html>"),
             ("failed_expectations",)),
        Case("script_only", "script_only.html",
             b"<html><head><script>var a = 1;</script></head><body><script>document.write('x')</script></body></html>",
             ("no_article_text",)),
        Case("charset_lie", "charset_lie.html",
             HTML_STORY.format(title="Charset lie is read right", extra="Caf\xe9 owners cheered.")
             .encode("cp1252", "replace"), (LOADS,)),
        Case("utf16_no_bom", "utf16.txt", story("UTF-16 without a BOM", seed=5).encode("utf-16-le"), (LOADS,)),
        Case("bad_jsonl", "bad_lines.jsonl", b"\n".join([
            json.dumps({"text": story("Good jsonl line", seed=6)}).encode(),
            b'{"text": "unterminated',
            json.dumps({"text": 42, "html": ["x"]}).encode(),
            b"[1, 2, 3]",
            json.dumps({"text": "x" * 3_000_000}).encode(),
            b'{"text": "lone \\ud800 surrogate ' + json.dumps(story("Surrogate line", seed=7))[1:-1].encode() + b'"}',
        ]) + b"\n", (LOADS, "invalid_json_record", "invalid_json_record", "invalid_json_record", "record_too_long",
                     LOADS)),
        Case("name_with_spaces", "name with spaces.txt", story("Spaces in a name", seed=8).encode(), (LOADS,)),
        Case("name_non_ascii", "ünïcødé_名前.txt", story("Non-ASCII name", seed=9).encode(), (LOADS,)),
        Case("name_with_newline", "new\nline.txt", story("Newline in a name", seed=10).encode(), (LOADS,)),
        Case("duplicate_first", "dup_a.txt", story("Same bytes twice", seed=11).encode(), (LOADS,)),
        Case("duplicate_second", "dup_b.txt", story("Same bytes twice", seed=11).encode(), ("duplicate_content",)),
        Case("future_date", "future.txt", story("Tram plan", "March 14, 2035", seed=12).encode(),
             ("failed_expectations",)),
        Case("ancient_date", "ancient.txt", story("Old news", "March 14, 1975", seed=13).encode(),
             ("failed_expectations",)),
        Case("non_latin_russian", "russian.txt", (
            "Городской совет одобрил новый паромный терминал\n\n"
            + "Совет проголосовал в четверг за строительство нового паромного терминала на восточной набережной. "
            * 6 + "\n\n" + "Строительство начнется осенью и продлится два года, сообщил глава совета. " * 5
            + "\n").encode(), (LOADS,)),
        Case("non_latin_chinese", "chinese.html", """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>港口委员会批准新渡轮码头</title></head><body><article><h1>港口委员会批准新渡轮码头</h1>
<p>港口委员会周四投票批准在东码头修建一座新的渡轮码头，结束了长达十年的争论。委员会主席表示，这是一代人以来最重要的决定。</p>
<p>工程预计将于秋季开工，为期两年，大部分费用由地区政府承担。反对者说，码头在冬季风暴中过于暴露。</p>
<p>新码头可同时停靠两艘渡轮，并设有可容纳三百名乘客的候船大厅，规划官员在会上说。</p>
</article></body></html>""".encode(), (LOADS,)),
        Case("one_sentence", "one_sentence.txt", b"Council approves ferry terminal.\n", ("no_article_text",)),
        Case("control_chars", "ansi.txt", story("Terminal escapes vanish", seed=14).replace(
            "Opponents", "\x1b[31mOpponents\x1b[0m\x07").encode(), (LOADS,)),
        Case("bom_utf8", "bom.txt", codecs.BOM_UTF8 + story("A BOM is fine", seed=15).encode(), (LOADS,)),
        Case("menu_only", "menu_only.html",
             ("<html><body><nav>" + "".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(200))
              + "</nav></body></html>").encode(), ("failed_expectations",)),  # link text: body_mostly_text etc.
    ]
    if big:
        out.append(Case("file_60mb", "huge.txt", b"Breaking news line repeated.\n" * 2_100_000, ("file_too_large",)))
    return out


def write_corpus(folder: Path, big: bool = True) -> list[Case]:
    """Write every case under `folder`; return them."""
    folder.mkdir(parents=True, exist_ok=True)
    written = cases(big)
    for case in written:
        (folder / case.name).write_bytes(case.data)
    return written


if __name__ == "__main__":
    corpus = write_corpus(Path(sys.argv[1]))
    print(f"{len(corpus)} files, {len({c.cls for c in corpus})} classes in {sys.argv[1]}")

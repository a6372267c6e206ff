"""Stage 1: turn raw bytes into text records (encoding detection, format split)."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from types import MappingProxyType

TEXT_SUFFIXES = MappingProxyType({".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl",
                                ".warc": "warc", ".warc.gz": "warc"})

# Share of control characters (other than whitespace) above which decoded text is called binary.
MAX_CONTROL_SHARE = 0.02
# Share of U+FFFD replacement characters above which decoding is called a failure.
MAX_REPLACEMENT_SHARE = 0.01

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0/C1 controls except whitespace, lone surrogates and private-use code points: never in real text.
_CONTROL = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


class DecodeError(ValueError):
    """Bytes that cannot be read as text; `reason` is snake_case."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the encoding it was read with."""

    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record inside a dump: the whole file, or one line of a .jsonl file."""

    index: int  # 0 for whole files, 1-based line number for jsonl
    data: bytes
    kind: str  # "txt" or "html"
    text: str
    encoding: str
    url: str | None = None
    error: str | None = None  # why this record cannot be processed (kind is then "invalid")


def detect_format(name: str) -> str | None:
    """Format of a dump from its file name, or None when it is not a dump we read."""
    lower = name.lower()
    for suffix, fmt in TEXT_SUFFIXES.items():
        if lower.endswith(suffix):
            return fmt
    return None


def _looks_utf16(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from where the NUL bytes sit."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / len(text) if text else 0.0


# Characters removed from decoded text: C0/C1 controls other than tab and newline (NUL, ESC, ...), and lone
# surrogates (only a JSON escape such as "\\ud800" can make one; they cannot be encoded, so they become U+FFFD).
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that were not UTF-8, as decode(..., "surrogateescape") keeps them
_NON_ASCII_UTF8 = re.compile("[^\x00-\x7f\udc80-\udcff]")


def sanitize_text(text: str) -> str:
    """Text safe to store: no control characters but tab and newline, lone surrogates as U+FFFD."""
    text = _STRIP.sub("", text)
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _incomplete_tail(data: bytes) -> int:
    """Number of bytes at the end that start a UTF-8 character but stop short of it (a cut dump), else 0."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return 0
        if byte >= 0xC0:  # a lead byte: how long its character should be
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return back if back < need else 0
    return 0


def _repair_utf8(data: bytes) -> tuple[str, int, bool] | None:
    """UTF-8 with a few foreign bytes: each byte that is not UTF-8 read as cp1252 (a cp1252 line or apostrophe
    pasted into a UTF-8 file), a character cut at the very end dropped. Returns (text, bytes repaired, cut), or
    None when nothing in the data is multi-byte UTF-8 (then it is a single-byte file)."""
    cut = _incomplete_tail(data)
    if cut:
        data = data[:-cut]
    text = data.decode("utf-8", "surrogateescape")
    if not _NON_ASCII_UTF8.search(text) and not cut:
        return None
    repaired = 0

    def as_cp1252(match: re.Match[str]) -> str:
        nonlocal repaired
        raw = bytes(ord(c) - 0xDC00 for c in match.group())
        repaired += len(raw)
        return raw.decode("cp1252", "replace")

    return _ESCAPED.sub(as_cp1252, text), repaired, bool(cut)


def _checked(text: str, enc: str) -> Decoded:
    """Reject text that is binary or empty; strip control characters; name what was repaired in the encoding."""
    text = text.lstrip("\ufeff")
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(text):
        raise DecodeError("undecodable_bytes", f"too many replacement characters after {enc}")
    share = _control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise DecodeError("binary_content", f"{share:.1%} control characters when read as {enc}")
    clean = sanitize_text(text)
    if len(clean) != len(text):
        enc += f", {len(text) - len(clean)} control characters removed"
    if not clean.strip():
        raise DecodeError("empty_file", "only whitespace after decoding")
    return Decoded(clean.replace("\r\n", "\n").replace("\r", "\n"), enc)


def decode_bytes(data: bytes) -> Decoded:
    """Decode bytes as UTF-8 (with or without BOM, repairing a few foreign bytes), UTF-16/32, or cp1252/latin-1;
    raise DecodeError. Control characters are removed, and the encoding label says what was repaired."""
    if not data.strip():
        raise DecodeError("empty_file", f"{len(data)} bytes, no text")
    candidates: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            candidates.append(enc)
            break
    guess16 = _looks_utf16(data)
    if guess16:
        candidates.append(guess16)
    candidates.append("utf-8")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return _checked(text, enc)
    if b"\x00" in data and _control_share(data[:65536].decode("latin-1")) > MAX_CONTROL_SHARE:
        raise DecodeError("binary_content", "NUL bytes that are not UTF-16")
    repaired = _repair_utf8(data)
    if repaired is not None:
        text, count, cut = repaired
        notes = ([f"{count} bytes read as cp1252"] if count else []) + (["cut last character dropped"] if cut else [])
        return _checked(text, ", ".join(["utf-8", *notes]))
    try:
        return _checked(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        pass
    # cp1252 leaves 5 bytes undefined; latin-1 maps every byte, so this is where binary ends up.
    text = data.decode("latin-1")
    share = _control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise DecodeError("binary_content", f"{share:.1%} control characters; no text encoding fits")
    return _checked(text, "latin-1")


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def split_records(data: bytes, fmt: str) -> list[RawRecord]:
    """Split one dump into records; raise DecodeError when nothing in it can be read."""
    if fmt != "jsonl":
        decoded = decode_bytes(data)
        kind = "html" if fmt == "html" or _looks_like_html(decoded.text) else "txt"
        return [RawRecord(0, data, kind, decoded.text, decoded.encoding)]
    decoded = decode_bytes(data)
    records: list[RawRecord] = []
    for lineno, line in enumerate(decoded.text.split("\n"), start=1):
        if not line.strip():
            continue
        raw = line.encode("utf-8")
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            error = f"invalid JSON: {exc.msg}"
            records.append(RawRecord(lineno, raw, "invalid", "", decoded.encoding, error=error))
            continue
        if not isinstance(obj, dict):
            error = "line is not a JSON object"
            records.append(RawRecord(lineno, raw, "invalid", "", decoded.encoding, error=error))
            continue
        url = sanitize_text(obj["url"]) if isinstance(obj.get("url"), str) else None
        html = sanitize_text(obj["html"]) if isinstance(obj.get("html"), str) else ""
        text = sanitize_text(obj["text"]) if isinstance(obj.get("text"), str) else ""
        if html.strip():
            records.append(RawRecord(lineno, raw, "html", html, decoded.encoding, url))
        elif text.strip():
            records.append(RawRecord(lineno, raw, "txt", text.replace("\r\n", "\n").replace("\r", "\n"),
                                     decoded.encoding, url))
        else:
            records.append(RawRecord(lineno, raw, "invalid", "", decoded.encoding, url,
                                     error="no non-empty 'html' or 'text' field"))
    if not records:
        raise DecodeError("empty_file", "no JSON lines")
    return records

"""Stage 1: turn raw bytes into text records (encoding detection, format split)."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from types import MappingProxyType

TEXT_SUFFIXES = MappingProxyType({".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"})

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


def decode_bytes(data: bytes) -> Decoded:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16/32, or cp1252/latin-1; raise DecodeError."""
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
    candidates += ["utf-8", "cp1252"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "cp1252" and "\x00" in text:
            break  # NUL bytes that are not UTF-16: binary
        text = text.lstrip("\ufeff")
        if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(text):
            raise DecodeError("undecodable_bytes", f"too many replacement characters after {enc}")
        share = _control_share(text)
        if share > MAX_CONTROL_SHARE:
            raise DecodeError("binary_content", f"{share:.1%} control characters when read as {enc}")
        if not text.strip():
            raise DecodeError("empty_file", "only whitespace after decoding")
        return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), enc)
    # cp1252 leaves 5 bytes undefined; latin-1 maps every byte, so this is where binary ends up.
    text = data.decode("latin-1")
    share = _control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise DecodeError("binary_content", f"{share:.1%} control characters; no text encoding fits")
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), "latin-1")


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
        url = obj.get("url") if isinstance(obj.get("url"), str) else None
        if isinstance(obj.get("html"), str) and obj["html"].strip():
            records.append(RawRecord(lineno, raw, "html", obj["html"], decoded.encoding, url))
        elif isinstance(obj.get("text"), str) and obj["text"].strip():
            records.append(RawRecord(lineno, raw, "txt", obj["text"], decoded.encoding, url))
        else:
            records.append(RawRecord(lineno, raw, "invalid", "", decoded.encoding, url,
                                     error="no non-empty 'html' or 'text' field"))
    if not records:
        raise DecodeError("empty_file", "no JSON lines")
    return records

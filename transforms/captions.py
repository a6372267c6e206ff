"""Split an image caption into its text and its photo credit (one splitter for text dumps and HTML pages)."""

from __future__ import annotations

from transforms.record import Caption
from transforms.rules import CreditRules

_TEXT_END = " .,;:|–—-"
_CREDIT_END = " ,;:|–—-"  # a credit keeps its final period ("Sierra Nevada Corp.")


def split_caption(text: str, rules: CreditRules, credit: str | None = None, *, credit_only: bool = False) -> Caption:
    """A caption with its credit: the credit element's text when given, else a trailing '(Name/Agency)',
    '© Agency' or 'Photo: Name' (labels: rules/structure.toml [captions]). A caption that is only a credit has an
    empty text; `credit_only` (the cleaner classed the line as a photo credit) makes a short line without a credit
    mark ('Getty Images') a credit."""
    text = " ".join(text.split())
    if credit and credit.strip():
        credit = " ".join(credit.split())
        body = text.replace(credit, "").strip(_TEXT_END)
        return Caption(text=body or text, credit=_strip_labels(credit, rules) or credit)
    match = rules.tail.fullmatch(text)
    if match and match["paren"] and rules.paren_note.match(match["paren"].strip()):
        match = None  # "(left)", "(file)": the parenthesis places the picture, it names no one
    found = _strip_labels(match["paren"] or match["mark"], rules) if match else ""
    caption = match["text"].strip(_TEXT_END) if match and found else text
    if credit_only and not found and len(text.split()) <= rules.max_words and (whole := _strip_labels(text, rules)):
        return Caption(text="", credit=whole)
    return Caption(text=caption, credit=found or None)


def _strip_labels(credit: str, rules: CreditRules) -> str:
    """The credit without its leading labels and copyright signs."""
    labels = rules.leading.match(credit)
    return (credit[labels.end():] if labels else credit).strip(_CREDIT_END)

"""Split an image caption into its text and its photo credit (one splitter for text dumps and HTML pages)."""

from __future__ import annotations

import re

from transforms.record import Caption

# A credit label: "Photo:", "Image credit:", "Fotocredit:", "Bildquelle:", "Photo by", "Image copyright",
# "Credit...". Not after a letter ("Symbolfoto:" is caption text), except a capitalised label glued to the caption's
# last word ("...a rabbitCredit: Getty").
_LABEL = (r"(?:(?<![^\W\d_])(?i:"
          r"(?:(?:(?:photo|image|picture|foto|bild)\s*)?(?:credits?|crédito|créditos|quelle)|photos?|photographs?|images?"
          r"|pictures?|fotos?|bild|illustration|photographer|fotograf(?:in)?)\s*:"
          r"|(?:photo(?:graph)?s?|images?|pictures?|fotos?)\s+(?:by|von)\b|(?:image\s+)?copyright\b|credit(?:\.{3}|…))"
          r"|(?<=[a-z])(?:Credits?|Photos?|Photograph|Images?|Pictures?|Fotos?)\s*:)")
CREDIT_MAX_WORDS = 10  # a longer tail after a label is caption text ("Image: X has agreed a deal to ...")
# The credit at the end of a caption: a parenthesis, or a ©, (c) or label and at most CREDIT_MAX_WORDS words.
_CREDIT_TAIL = re.compile(r"(?P<text>.*?)[\s.,;:|–—-]*(?:\((?P<paren>[^()]{2,120})\)"
                          r"|(?P<mark>(?:©|\([cC]\)|" + _LABEL + rf")\s*\S+(?:\s+\S+){{0,{CREDIT_MAX_WORDS - 1}}}))")
# Labels and copyright signs in front of a credit ("Image: © X" -> "X").
_LEADING_LABELS = re.compile(r"(?:(?:©|\([cC]\)|" + _LABEL + r")\s*)+")
_TEXT_END = " .,;:|–—-"
_CREDIT_END = " ,;:|–—-"  # a credit keeps its final period ("Sierra Nevada Corp.")


def split_caption(text: str, credit: str | None = None, *, credit_only: bool = False) -> Caption:
    """A caption with its credit: the credit element's text when given, else a trailing '(Name/Agency)',
    '© Agency' or 'Photo: Name'. A caption that is only a credit has an empty text; `credit_only` (the cleaner
    classed the line as a photo credit) makes a short line without a credit mark ('Getty Images') a credit."""
    text = " ".join(text.split())
    if credit and credit.strip():
        credit = " ".join(credit.split())
        body = text.replace(credit, "").strip(_TEXT_END)
        return Caption(text=body or text, credit=_strip_labels(credit) or credit)
    match = _CREDIT_TAIL.fullmatch(text)
    found = _strip_labels(match["paren"] or match["mark"]) if match else ""
    caption = match["text"].strip(_TEXT_END) if match and found else text
    if credit_only and not found and len(text.split()) <= CREDIT_MAX_WORDS and (whole := _strip_labels(text)):
        return Caption(text="", credit=whole)
    return Caption(text=caption, credit=found or None)


def _strip_labels(credit: str) -> str:
    """The credit without its leading labels and copyright signs."""
    labels = _LEADING_LABELS.match(credit)
    return (credit[labels.end():] if labels else credit).strip(_CREDIT_END)

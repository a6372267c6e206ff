"""Direct quotations in article paragraphs and who spoke them (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from transforms.record import Quote
from transforms.rules import Rules

WORD = re.compile(r"[\w’'.-]+[,;:]?")
# A sentence ends at . ! ? followed by a space and a capital or an opening quote.
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»]?\s+(?=[A-ZÄÖÜ“\"„«‘])")
# Attribution is looked for in the sentence around a quote. Text without sentence ends (a run-on page, a
# list) would make every quote rescan the whole paragraph before it, quadratic in its length; no real
# sentence is longer than this, so only this much text before a quote is read.
SENTENCE_MAX_CHARS = 1000
# Quotes per paragraph that are given a speaker: the most in 1,965 bench articles is 9. Each attribution reads
# up to SENTENCE_MAX_CHARS before its quote, so a paragraph of thousands of quote marks (a table, a code dump)
# would cost thousands of such reads; quotes past this many keep a null speaker.
MAX_ATTRIBUTED_PER_PARAGRAPH = 64
# A capitalised name token: 'Jens', 'Stoltenberg', 'O’Brien', 'Nguyen-Ly', an initial 'J.'.
NAME_TOKEN = re.compile(r"^(?:[A-ZÄÖÜÉ][\w’'-]*\.?|[A-Z]\.)$")


@dataclass(slots=True)
class _Span:
    start: int  # index of the opening mark
    end: int  # index after the closing mark (or the paragraph end when unclosed)
    text: str
    closed: bool


def _is_apostrophe(text: str, i: int) -> bool:
    """’ or ' between letters (don’t, Russia’s) or after a plural s is an apostrophe, not a closing mark."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isalnum() and after.isalnum()) or (before == "s" and after in " ,.;" and text[i] == "’"
                                                      and not _has_open_single(text, i))


def _has_open_single(text: str, i: int) -> bool:
    opens = [m.start() for m in re.finditer(r"(?:^|(?<=[\s(\[—–-]))[‘']", text[:i])]
    return bool(opens)


def _find_spans(text: str, rules: Rules) -> list[_Span]:
    """Quoted spans of one paragraph, outermost only; an opening mark never closed runs to the end."""
    closers = dict(rules.quotes.pairs)
    if not any(mark in text for mark in closers):
        return []  # most paragraphs hold no quotation mark at all
    spans: list[_Span] = []
    marks = re.compile("[" + re.escape("".join(closers)) + "]")  # compiled once: re caches it
    i, n = 0, len(text)
    while i < n:
        m = marks.search(text, i)  # the next opening mark; the characters in between are never one
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch not in "‘'" or i == 0 or not text[i - 1].isalnum():
            if ch in "'\"" and i > 0 and text[i - 1].isalnum():
                i += 1
                continue
            close = closers[ch]
            j = text.find(close, i + 1)
            while j != -1 and close in "’'" and _is_apostrophe(text, j):
                j = text.find(close, j + 1)
            if j == -1:
                j = n
            inner = text[i + 1: j].strip()
            if j >= n and ch in "‘'":
                i += 1  # an unclosed single mark is an apostrophe or a typo, not a quote
                continue
            if inner:
                spans.append(_Span(i, min(j + 1, n), inner, j < n))
            i = j + 1
        else:
            i += 1
    return spans


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _trailing_name(words: list[str], rules: Rules) -> str | None:
    """The person's name at the end of a run of words ('U.S. Secretary of State Antony Blinken' -> 'Antony Blinken')."""
    name: list[str] = []
    for word in reversed(words):
        if name and word[-1:] in ",;:":
            break  # 'Reuters, Kaja Kallas': the comma ends the name
        bare = word.strip(".,;:’'")
        if not bare or not NAME_TOKEN.match(word.rstrip(",;:")) or bare.lower() in rules.quotes.titles:
            break
        name.insert(0, bare if not word.endswith(".") or len(bare) > 1 else word)
    while name and name[0].lower() in rules.quotes.titles:
        name.pop(0)
    return " ".join(name) if name else None


def _leading_name(words: list[str], rules: Rules) -> str | None:
    """The person's name at the start of a run of words, skipping title words ('Foreign Minister Sergey Lavrov')."""
    i = 0
    while i < len(words) and words[i].strip(".,").lower() in rules.quotes.titles:
        i += 1
    name: list[str] = []
    for word in words[i:]:
        bare = word.strip(",;:")
        if not NAME_TOKEN.match(bare) or bare.strip(".").lower() in rules.quotes.titles:
            break
        name.append(bare.rstrip(".") if len(bare.rstrip(".")) > 1 else bare)
        if word.endswith(","):
            break
    return " ".join(name) if name else None


def _is_verb(word: str, rules: Rules) -> bool:
    # Written lower-case: 'States' in 'United States' is a name, 'states' a verb.
    return word[:1].islower() and word.strip(".,;:") in rules.quotes.verbs


def _mentions(text: str, rules: Rules, last_only: bool = False) -> list[tuple[int, str]]:
    """Named speakers in running text ('Stoltenberg called', 'Sergey Lavrov told') with their positions
    (last_only: just the last one, found by reading backwards)."""
    found: list[tuple[int, str]] = []
    words = WORD.findall(text)
    starts: list[int] = []  # where each word starts, computed on the first mention
    verbs = rules.quotes.verbs
    order = range(len(words) - 1, -1, -1) if last_only else range(len(words))
    for k in order:
        word = words[k]
        if word.strip(".,;:") not in verbs or not word[:1].islower() or word == "so":
            continue  # not a speech verb (_is_verb, inlined: it runs on every word)
        lead = words[max(0, k - 6): k]
        if lead and lead[-1].strip(",").lower() in ("also", "then", "later", "again", "has", "had", "have"):
            lead = lead[:-1]
        if lead and lead[-1][:1].isupper() and lead[-1].strip(".,").lower() in rules.quotes.pronouns:
            continue
        name = _trailing_name(lead, rules)
        if name:
            if not starts:
                starts = [m.start() for m in WORD.finditer(text)]
            found.append((starts[k], name))
            if last_only:
                break
    return found


def _attribute_after(after: str, rules: Rules) -> tuple[str | None, str | None]:
    """Attribution right after a quote: ', Blinken said', ', said Jens Stoltenberg', ', he added'."""
    words = _words(after.lstrip(" ,—–-")[:160])
    if not words:
        return None, None
    first = words[0].strip(".,").lower()
    if first in rules.quotes.pronouns and len(words) > 1 and _is_verb(words[1], rules):
        return None, "pronoun"
    if _is_verb(words[0], rules) and first != "so":
        name = _leading_name(words[1:6], rules)
        return (name, "after") if name else (None, None)
    # '[spokesman] Dmitry Peskov [also] told TASS', 'Kallas told Reuters'
    for k in range(0, 7):
        if k < len(words) and _is_verb(words[k], rules) and k > 0:
            name = _trailing_name(words[:k], rules) or _trailing_name(words[: k - 1], rules)
            if name and all(w.strip(".,").lower() not in rules.quotes.pronouns for w in words[:k]):
                return name, "after"
            break
        if k < len(words) and words[k].strip(".,").lower() in rules.quotes.pronouns and k + 1 < len(words) \
                and _is_verb(words[k + 1], rules):
            return None, "pronoun"
    return None, None


def _current_sentence(before: str) -> str:
    """The sentence a quote sits in, up to the quote (at most SENTENCE_MAX_CHARS of it)."""
    return SENTENCE_END.split(before[-SENTENCE_MAX_CHARS:])[-1]


def _attribute_before(before: str, rules: Rules) -> tuple[str | None, str | None]:
    """Attribution earlier in the same sentence: 'Blinken said the responses were “...”', 'According to him, “...”'."""
    sentence = _current_sentence(before)
    words = _words(sentence)
    for k in range(len(words) - 1, -1, -1):
        word = words[k].strip(".,;:").lower()
        if word == "according" and k + 2 < len(words) and words[k + 1].lower() == "to":
            nxt = words[k + 2].strip(".,").lower()
            if nxt in ("him", "her", "them"):
                return None, "pronoun"
            continue
        if not _is_verb(words[k], rules) or word == "so":
            continue
        lead = words[max(0, k - 6): k]
        if lead and lead[-1].strip(",").lower() in ("also", "then", "later", "again", "has", "had", "have"):
            lead = lead[:-1]
        if lead and lead[-1].strip(",").lower() in rules.quotes.pronouns:
            return None, "pronoun"
        name = _trailing_name(lead, rules)
        if name:
            return name, "before"
    return None, None


def _name_before_verb_quote(before: str, quote: str, rules: Rules) -> str | None:
    """'Blinken “underscored the commitment”': a name right before a quote that starts with a speech verb."""
    words = _words(quote)
    if not words or not _is_verb(words[0], rules) or re.search(r"[,.;:]\s*$", before):
        return None
    return _trailing_name(_words(_current_sentence(before))[-4:], rules)


def _sentence_speaker(before: str, after: str, rules: Rules) -> tuple[str | None, str | None]:
    """For a scare quote: a named speaker with a speech verb anywhere in the surrounding sentence."""
    name, how = _attribute_before(before, rules)
    if name or how:
        return name, how
    sentence_rest = re.split(r"(?<=[.!?])\s", after[:SENTENCE_MAX_CHARS], maxsplit=1)[0]
    name, how = _attribute_after(sentence_rest, rules)
    return name, how


def _resolve(name: str, known: list[str]) -> str:
    """A surname alone ('Kallas') becomes the full name mentioned earlier ('Kaja Kallas')."""
    if " " in name:
        return name
    for full in reversed(known):
        if full.split()[-1] == name:
            return full
    return name


def extract_quotes(paragraphs: Sequence[str], rules: Rules) -> list[Quote]:
    """Every direct quotation in the paragraphs, with its speaker when the text says who spoke."""
    quotes: list[Quote] = []
    last_speaker: str | None = None
    known: list[str] = []
    carried: str | None = None  # speaker of a quote left open at the end of the previous paragraph
    all_spans = [_find_spans(para, rules) for para in paragraphs]
    # Paragraphs after the last quote cannot change any quote's speaker.
    last_quoted = max((i for i, spans in enumerate(all_spans) if spans), default=-1)
    for p_index, para in enumerate(paragraphs[: last_quoted + 1]):
        spans = all_spans[p_index]
        if not spans:  # only the last speaker named in the paragraph matters to later quotes
            later = _mentions(para, rules, last_only=True)
            if later:
                last_speaker = _resolve(later[-1][1], known)
                known.append(last_speaker)
            carried = None
            continue
        outside = list(para)
        for span in spans:
            outside[span.start:span.end] = " " * (span.end - span.start)
        mentions = _mentions("".join(outside), rules)
        para_speakers: list[str | None] = []
        seen_mentions = 0  # mentions are in text order: count those before the current quote once
        for s_index, span in enumerate(spans):
            while seen_mentions < len(mentions) and mentions[seen_mentions][0] < span.start:
                seen_mentions += 1
            if seen_mentions:
                last_speaker = _resolve(mentions[seen_mentions - 1][1], known)
            # only the sentence around a quote is read (SENTENCE_MAX_CHARS), so slice no more than that
            before = para[max(0, span.start - SENTENCE_MAX_CHARS): span.start]
            after = para[span.end: spans[s_index + 1].start if s_index + 1 < len(spans) else len(para)]
            if s_index >= MAX_ATTRIBUTED_PER_PARAGRAPH:
                para_speakers.append(None)
                quotes.append(Quote(span.text, None, p_index, span.start, span.end, None))
                continue
            scare = len(span.text.split()) <= rules.quotes.scare_max_words
            if scare:
                speaker, how = _sentence_speaker(before, after, rules)
            else:
                speaker, how = _attribute_after(after, rules)
                if not speaker and not how:
                    speaker, how = _attribute_before(before, rules)
            if not speaker and not how:
                speaker = _name_before_verb_quote(before, span.text, rules)
                how = "before" if speaker else None
            if how == "pronoun":
                speaker = last_speaker
            elif speaker:
                speaker = _resolve(speaker, known)
            elif s_index > 0 and para_speakers[-1] and (not para[spans[s_index - 1].end: span.start].strip(" .,")
                                                        or _quote_continues(para, spans[s_index - 1], span, rules)):
                speaker, how = para_speakers[-1], "continued"
            elif s_index == 0 and span.start == 0 and carried:
                speaker, how = carried, "continued"
            if speaker:
                known.append(speaker)
                last_speaker = speaker
            para_speakers.append(speaker)
            quotes.append(Quote(span.text, speaker, p_index, span.start, span.end, how if speaker else None))
        later = [name for pos, name in mentions if not spans or pos > spans[-1].end]
        if later:
            last_speaker = _resolve(later[-1], known)
            known.append(last_speaker)
        carried = para_speakers[-1] if spans and not spans[-1].closed else None
    return quotes


def _quote_continues(para: str, prev: _Span, span: _Span, rules: Rules) -> bool:
    """A second quote right after an attributed one ('“...,” Blinken said. “...”') continues that speaker."""
    between = para[prev.end: span.start]
    name, how = _attribute_after(between, rules)
    return bool(name or how) and bool(re.search(r"[.!?:]\s*$", between))

"""Authors: cleaning names out of a byline or author field, byline marks in a line, and whether a name is a
person's (rules/authors.toml)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from transforms.dates import first_date
from transforms.metadata import EMAIL, HAS_DIGIT, URLISH, squash_spaces, word_tokens
from transforms.rules import Rules
from transforms.sites import GENERIC_HOST_WORDS

# A byline or author field is read up to this many characters, and a list of author values up to this many:
# names are short, and a 300,000-character <meta name="author"> made one page take 100 s.
MAX_AUTHOR_CHARS = 1000
MAX_AUTHOR_PIECES = 50


def clean_authors(raw: str | Iterable[str] | None, rules: Rules) -> tuple[str, ...]:
    """Person names from a byline or author field: no 'By', roles, emails, dates or 'Staff'; several split."""
    if not raw:
        return ()
    ar = rules.authors
    pieces = [raw] if isinstance(raw, str) else list(itertools.islice(raw, MAX_AUTHOR_PIECES))
    names: list[str] = []
    for piece in pieces:
        text = URLISH.sub(" ", EMAIL.sub(" ", squash_spaces(piece[:MAX_AUTHOR_CHARS])))
        date = first_date(text, rules)
        if date:
            text = text[: date.start()]
        text = re.sub(r"\|.*$", "", text) if "|" in text and not ar.separator.search(text.split("|")[0]) else text
        text = ar.prefix.sub("", text)
        for part in ar.separator.split(text):
            name = _clean_name(part, rules)
            if name and name.lower() not in (n.lower() for n in names):
                names.append(name)
    return tuple(names)


def unglue_name(part: str, rules: Rules) -> str:
    """A byline with what an HTML-to-text copy glued to the name undone: a plain mark split off ("ByJane Doe" ->
    "By Jane Doe"), a glued role cut ("Jane DoeStaff Writer", "Jane DoeFollow" -> "Jane Doe") and a doubled name
    halved ("Jane DoeJane Doe")."""
    ar = rules.authors
    half = len(part) // 2
    if half > 3 and part[:half] == part[half:] and part[half - 1].islower() and part[half].isupper():
        part = part[:half]
    words = part.split()
    if ar.glued_mark is not None:
        for k, word in enumerate(words):
            m = ar.glued_mark.match(word)
            if m is not None and word[m.end() - 1].islower() and word[m.end()].isupper():
                words[k] = f"{word[: m.end()]} {word[m.end():]}"
    if ar.glued_role is not None:
        for k, word in enumerate(words):
            m = ar.glued_role.search(word)
            if m is not None and word[m.start() - 1].islower() and word[m.start()].isupper():
                words = [*words[:k], word[: m.start()]]  # what follows a glued role is the rest of the role
                break
    return " ".join(words)


def _label_start(words: list[str], rules: Rules) -> int | None:
    """Where a known label or page phrase starts among a name's words ("Jane Doe Zuletzt geändert", "Jane Doe
    Schreibe einen Kommentar"): a date label ([dates] labels) or a boilerplate line rule matches from there."""
    for k in range(min(len(words), rules.authors.max_name_words + 1)):  # a later cut leaves too long a name
        rest = " ".join(words[k:]).lower()
        if rules.dates.label.match(rest) or rules.match_line_rule(rest, len(words) - k) is not None:
            return k
    return None


# A user name with digits ("happyface313", "r23"): one word, a letter first, a lower-case letter in it; digits
# elsewhere mean a date, a time or a number, not a name.
HANDLE = re.compile(r"^(?=[^\W\d_])(?=\S*[a-zß-ÿ])[\w.-]*\d[\w.-]*$")


def _clean_name(part: str, rules: Rules) -> str | None:
    ar = rules.authors
    part = unglue_name(part.strip(" \t.:-–—()[]*·•\"'"), rules)
    part = ar.prefix.sub("", part).strip(" .:-–—()")
    words = part.split()
    cut = _label_start(words, rules)
    if cut is not None:
        words = " ".join(words[:cut]).rstrip(" .,:;|-–—").split()
    # Cut a trailing role ("Jane Doe, Staff Writer" is split at the comma; "Jane Doe Reporter" here).
    while words and words[-1].lower().strip(".,") in ar.roles:
        words.pop()
    while words and words[0].lower().strip(".,") in ar.roles:
        words.pop(0)
    words = _without_trailing_particles(words, rules)  # "Jane Doe on" (the date followed)
    name = " ".join(words)
    if not name or name.lower() in ar.not_names or len(words) > ar.max_name_words:
        return None
    if any(w.lower().strip(".,") in ar.roles for w in words) or not any(c.isalpha() for c in name):
        return None
    if HAS_DIGIT.search(name) and not HANDLE.match(name):
        return None
    if len(name) <= 2 and not name.isupper():
        return None  # "r", "Bo": what is left of a handle, not a name ("AP" is an agency's credit)
    if words[0].islower() and _is_particle(words[0], rules):
        return None  # "und Kontaktadresse", "seinem Mandanten", "the": words of the text, not a name
    if len(words) > 1 and any(w.islower() and not _is_particle(w, rules) for w in words[1:]):
        return None  # "Name is required", "forget stored information": only particles ("von", "de") are lower case
    return name


def _without_trailing_particles(words: list[str], rules: Rules) -> list[str]:
    """The words of a name without the lower-case particles at its end: a particle never ends a name."""
    end = len(words)
    while end > 1 and words[end - 1].islower() and _is_particle(words[end - 1], rules):
        end -= 1
    return words[:end]


def _is_particle(word: str, rules: Rules) -> bool:
    """A lower-case word a name may hold: a stop word of any language ("von", "de", "van") or an abbreviation
    ("v.")."""
    return word.endswith(".") or any(word in words for words in rules.stopwords.values())


def looks_like_byline(text: str, rules: Rules) -> bool:
    """A short line that starts with a byline prefix ('By ', 'Von ', 'Autor:') followed by a capital."""
    match = rules.authors.prefix.match(text)
    return bool(match) and len(text.split()) <= 14 and text[match.end():match.end() + 1].isupper()


NAME_STOP = re.compile(
    r"\s(?:am|on|um|at|in|le|el|em|under|unter|im|mit|with|for|für|\||·|•|/|—|–|-|\()\s|\s*[|·•/∙]\s*|\s{2,}|,\s*\d",
    re.I)


NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")


# A byline mark is looked for at the start of a line, then after a separator (a character class the engine skips
# to): one pattern `(?:^|[...])` would be tried at every position.
def byline_marks(text: str, rules: Rules) -> list[re.Match[str]]:
    """The byline marks ("mark" words of [authors.byline_words]) of a line, left to right: one at its start,
    then those after a separator."""
    at_start, after_sep = rules.authors.mark_at_start, rules.authors.mark_after_separator
    found = []
    m = at_start.match(text) or after_sep.search(text)
    while m is not None:
        found.append(m)
        m = after_sep.search(text, m.end())
    return found


def has_byline_mark(text: str, rules: Rules) -> bool:
    """Whether the line holds a byline mark ('By', 'Von', 'Text:'...)."""
    ar = rules.authors
    return ar.mark_at_start.match(text) is not None or ar.mark_after_separator.search(text) is not None


def is_name_shaped(name: str, rules: Rules) -> bool:
    """True when a candidate looks like a person's name (a few capitalised name words)."""
    words = name.split()
    return 1 <= len(words) <= rules.authors.max_name_words and all(NAME_WORD.match(w) for w in words)


DASHES = frozenset("-–—|:")


def judge_name(name: str, site: tuple[set[str], set[str]], rules: Rules) -> tuple[str, bool] | None:
    """(name, is_person) of one cleaned author name from an HTML page; None when it is no author at all
    (a commenter's "X sagt", "Posted on", a handle or an e-mail)."""
    ar = rules.authors
    if ar.leading is not None:
        name = ar.leading.sub("", name)
    words = name.split()
    while words and words[-1].lower() in ar.trailing_words:
        words.pop()
    if not words or words[-1].lower() in ar.comment_verbs:
        return None
    name = " ".join(words)
    low = name.lower()
    if low in ar.not_authors or low in ar.not_names or name.startswith("@") or "[at]" in low:
        return None
    site_toks, labels = site

    def of_site(word: str) -> bool:
        toks = set(word_tokens(word)) - GENERIC_HOST_WORDS
        return word in DASHES or toks <= site_toks

    # Site words around a name: "Adam Aaronson PhillyVoice", "unocero - Alberto Ávila".
    trimmed = list(words)
    while len(trimmed) > 2 and of_site(trimmed[-1]):
        trimmed.pop()
    while len(trimmed) > 2 and of_site(trimmed[0]):
        trimmed.pop(0)
    if trimmed != words and not all(of_site(w) for w in trimmed):
        words = _without_trailing_particles(trimmed, rules)  # "Projektleiterin der HSS": "der" went with the site
        name = " ".join(words)
        low = name.lower()
    toks = set(word_tokens(name)) - GENERIC_HOST_WORDS
    initials = "".join(w[0] for w in words if w[:1].isalpha()).lower()
    org = (not toks or toks <= site_toks or (len(words) > 1 and initials in labels)
           or any(w.lower().strip(".,()") in ar.org_words for w in words)
           or any(f" {o}" in f" {low}" and "." in o for o in ar.org_words))
    return name, not org

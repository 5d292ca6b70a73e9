"""Reading a data-types cell into data categories with their data subjects, as a DPO reads it.

- A lead-in such as "Opplysninger om ansatte som oppgitt av virksomheten:" sets the data
  subjects for what follows.
- A heading inside a cell ("Kommunikasjonsdata:" followed by items) is only the parent of its
  items: the items are the categories. A heading whose items the vocabulary cannot read is kept
  as a category itself, so nothing the cell states is lost.
- Content is content: "Innhold i e-post, chat" is the content of email and of chat, and
  "email and SMS content" the content of both, never an email address.
- A bracket right after a term clarifies it. Words left between terms become unmapped
  categories only when they say something: connectives, generic words ("data", "content") and
  words naming whose data it is ("recipients") do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dataflyt.ids import slug
from dataflyt.loaders.models import Source, UnmappedTerm
from dataflyt.loaders.terms import (
    QUALIFIER_START,
    TermsFound,
    clean_cell,
    significant,
    split_outside_parens,
)
from dataflyt.reference.vocabulary import TermMatch, fold, vocabulary

__all__ = ["parse_data_types"]

_SENTENCE_END = re.compile(r"\.\s+(?=[A-ZÆØÅÄÖ])")
_LEAD_IN = re.compile(
    r"^(?:grunnleggende\s+|basic\s+|generelle\s+|general\s+)?"
    r"(?:personopplysninger|opplysninger|informasjon|information|personal\s+data|data)\s+"
    r"(?:om|about|on|of|concerning|regarding)\s+"
)
_LEAD_IN_END = re.compile(r":|\binkludert\b|\bherunder\b|\bincluding\b|\bsuch as\b|\bslik som\b")
_WHO_END = re.compile(r"\s(?:som|gitt|oppgitt|that|provided|given|who|which)\s|,")
_SOFT_DELIMITER = re.compile(r"\s(?:og|and|eller|or|samt|&)\s")
_ITEMS = re.compile(
    r"\s*[,;/]\s*(?:(?:og|and|eller|or|och|und)\s+)?|\s+(?:og|and|eller|or|och|und|&)\s+"
)
# "innhold i e-post, chat": the head applies to every item of the list
_CONTENT_HEAD = re.compile(
    r"^(?:innhold i|indhold i|indhold af|innehåll i|inhalt (?:von|der)|contents? of)\s+"
)
# "email and SMS content": the tail applies to every item of the list
_CONTENT_TAIL = re.compile(r"\s+(?:content|contents|bodies|body|innhold|indhold|innehåll)$")
# words that say nothing on their own when left over between terms
_GENERIC = {
    "data",
    "daten",
    "content",
    "contents",
    "innhold",
    "indhold",
    "innehåll",
    "inhalt",
    "information",
    "informasjon",
    "oplysninger",
    "opplysninger",
    "uppgifter",
    "details",
    "detaljer",
    "personal",
    "related",
    "relevant",
    "system",
    "systems",
    "technical",
    "various",
    "additional",
    "any",
}
# a connective left at the start of a list item ("..., and related business data")
_LEADING_CONNECTIVE = re.compile(r"(?:and|og|or|eller|och|und|samt|plus)\s+", re.I)


def _subjects_in(text: str) -> set[str]:
    return {match.key for match in vocabulary().find("subjects", text)}


def _segments(cell: str) -> Iterator[str]:
    for line in clean_cell(cell).split("\n"):
        for start, end in split_outside_parens(line, _SENTENCE_END):
            segment = line[start:end].strip(" .")
            if segment:
                yield segment


def _after_lead_in(segment: str, subjects: set[str]) -> tuple[str, set[str]]:
    """Return the text after a lead-in ("Opplysninger om ansatte ...:") and the data subjects
    it names (else ``subjects``)."""
    folded = fold(segment)
    lead_in = _LEAD_IN.match(folded)
    if not lead_in:
        return segment, subjects
    end = _LEAD_IN_END.search(folded, lead_in.end())
    who_end = _WHO_END.search(folded, lead_in.end())
    who_stop = min(m.start() for m in (end, who_end) if m) if (end or who_end) else None
    named = _subjects_in(folded[lead_in.end() : who_stop])
    return (segment[end.end() :] if end else ""), (named or subjects)


def _heading(text: str) -> tuple[str, str] | None:
    """Return (heading, items) when ``text`` starts with a heading ("Kommunikasjonsdata:" and
    what follows it), else None."""
    spans = list(split_outside_parens(text, re.compile(r":\s*")))
    if len(spans) < 2:
        return None
    head = text[spans[0][0] : spans[0][1]].strip()
    if not head or "," in head or ";" in head or len(head.split()) > 5:
        return None
    return head, text[spans[1][0] :].strip()


def parse_data_types(cell: str, source: Source, subjects: set[str] | None = None) -> TermsFound:
    """Return the categories (with their data subjects) and unmapped terms of a data-types cell."""
    found = TermsFound()
    current: set[str] = set(subjects or ())
    heading: tuple[str, set[str]] | None = None
    under = TermsFound()
    for segment in _segments(cell):
        text, current = _after_lead_in(segment, current)
        split = _heading(text)
        if split is not None:
            _close_heading(heading, under, source, found)
            heading, under, text = (split[0], set(current)), TermsFound(), split[1]
        _read_items(text, current, source, under if heading else found)
    _close_heading(heading, under, source, found)
    return found


def _close_heading(
    heading: tuple[str, set[str]] | None, under: TermsFound, source: Source, found: TermsFound
) -> None:
    """Add a heading's items to ``found``, and the heading itself only when none of its items
    is a vocabulary category."""
    if heading is None:
        return
    if not any(fact.mapped for fact in under.categories.values()):
        _read_items(heading[0], heading[1], source, found)
    for fact in under.categories.values():
        found.add_fact(fact)
    found.unmapped.extend(under.unmapped)


def _content_items(text: str) -> list[str] | None:
    """Return the term to look up for each item of a content list ("Innhold i e-post, chat" ->
    "innhold i e-post", "innhold i chat"; "email and SMS content" -> "email content", "sms
    content"), or None when ``text`` is no content list."""
    folded = fold(text)
    head = _CONTENT_HEAD.match(folded)
    tail = _CONTENT_TAIL.search(folded)
    if head is None and tail is None:
        return None
    start = head.end() if head else 0
    end = tail.start() if tail else len(folded)
    prefix, suffix = (head.group(0) if head else ""), (tail.group(0) if tail else "")
    items = (
        folded[start + s : start + e].strip()
        for s, e in split_outside_parens(folded[start:end], _ITEMS)
    )
    return [f"{prefix}{item}{suffix}" for item in items if item]


def _read_content(
    text: str, subjects: set[str], source: Source, found: TermsFound, label: str | None = None
) -> bool:
    """Read a content list, labelled with the list as written (``label``, else ``text``);
    return False (reading nothing) when ``text`` is not a list whose items are all
    communications content."""
    terms = _content_items(text)
    if not terms:
        return False
    keys = []
    for term in terms:
        whole = [
            m for m in vocabulary().find("categories", term) if (m.start, m.end) == (0, len(term))
        ]
        if not whole or "communications_content" not in _lineage(whole[0].key):
            return False
        keys.append(whole[0].key)
    for key in keys:
        found.add(key, label or text, subjects, source, mapped=True)
    return True


def _lineage(key: str) -> list[str]:
    return [key, *vocabulary().ancestors(key)]


def _add_unmapped(text: str, subjects: set[str], source: Source, found: TermsFound) -> None:
    found.add("unmapped:" + slug(text), text, subjects, source, mapped=False)
    found.unmapped.append(UnmappedTerm(kind="category", text=text, source=source))


def _says_something(fragment: str) -> bool:
    """Return True when a fragment left between terms is worth keeping as a category: it is not
    a qualifier, and it has a word besides connectives, generic words and data subjects."""
    first = fragment.split(" ", 1)[0] if fragment else ""
    if not fragment or first in QUALIFIER_START:
        return False
    rest = fragment
    for match in reversed(vocabulary().find("subjects", fragment)):
        rest = rest[: match.start] + " " + rest[match.end :]
    words = [w for w in re.findall(r"[^\W\d_]{3,}", rest) if w not in _GENERIC]
    return significant(" ".join(words))


def _read_items(text: str, subjects: set[str], source: Source, found: TermsFound) -> None:
    text = " ".join(text.split())
    if _read_content(text, subjects, source, found):
        return
    folded = fold(text)
    matches = vocabulary().find("categories", folded)
    parens = _paren_spans(folded)
    # a bracket right after a term clarifies it: terms inside it are not separate facts
    clarifying = [
        (s, e) for s, e in parens if any(folded[m.end : s].strip() == "" for m in matches)
    ]
    matches = [m for m in matches if not any(s < m.start and m.end <= e for s, e in clarifying)]
    head = ""  # the head of a content list the pieces continue ("innhold i e-post, chat")
    for start, end in split_outside_parens(folded, re.compile(r"[,;:]\s*")):
        connective = _LEADING_CONNECTIVE.match(folded, start)
        start = connective.end() if connective and connective.end() < end else start
        piece = text[start:end].strip(" .")
        if head and _read_content(head + piece, subjects, source, found, label=piece):
            continue
        head = ""
        if _read_content(piece, subjects, source, found):
            head = m.group(0) if (m := _CONTENT_HEAD.match(fold(piece))) else ""
            continue
        in_piece = [m for m in matches if start <= m.start < end]
        if not in_piece:
            if significant(piece):
                _add_unmapped(piece, subjects | _subjects_in(piece), source, found)
            continue
        leftover = _leftover(folded, start, end, in_piece)
        extra = _subjects_in(" ".join(leftover))
        for part in leftover:
            for s, e in split_outside_parens(part, _SOFT_DELIMITER):
                fragment = part[s:e].strip(" .()")
                if _says_something(fragment):
                    _add_unmapped(fragment, subjects | extra, source, found)
        for match in in_piece:
            label = text[match.start : match.end]
            found.add(match.key, label, subjects | extra, source, mapped=True)


def _paren_spans(text: str) -> list[tuple[int, int]]:
    spans, stack = [], []
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            spans.append((stack.pop(), index + 1))
    return spans


def _leftover(folded: str, start: int, end: int, matches: list[TermMatch]) -> list[str]:
    parts, cursor = [], start
    for match in matches:
        parts.append(folded[cursor : match.start])
        cursor = match.end
    parts.append(folded[cursor:end])
    # text in brackets qualifies the term before it
    return [re.sub(r"\([^)]*\)", " ", part) for part in parts if part.strip(" .,;")]

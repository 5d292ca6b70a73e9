"""Organisation names as vendors write them in a name cell: the name, the other names it goes by
and what else the cell states.

- "Amazon Web Services (AWS)": a short name in brackets is an alias.
- "NexMo Inc (aka Vonage)", "Functional Software, Inc. d/b/a Sentry": an "aka", "d/b/a" or
  "formerly" name is an alias.
- "AWS Europe (Amazon Web Services EMEA SARL)": a legal entity named in brackets (it ends in a
  legal form, ``reference.legal_forms``) is the entity; the name outside is its alias.
- "..., B 186284, 38 Avenue John F. Kennedy, Luxembourg": a registration number and an address
  after the name are attributes, never part of the name.
- Any other remark in brackets ("(by Salesforce)", "(group)") is kept as the attribute "note".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dataflyt.loaders.models import Source, SubProcessorFact
from dataflyt.loaders.terms import cell_text, split_outside_parens
from dataflyt.reference.jurisdictions import resolve_place
from dataflyt.reference.legal_forms import LEGAL_FORM, has_legal_form, without_legal_form
from dataflyt.reference.vendor_groups import name_key
from dataflyt.safe_text import blank

__all__ = [
    "ADDRESS",
    "NOTE",
    "REGISTRATION_NUMBER",
    "OrganisationName",
    "is_registration_number",
    "parse_subprocessors",
    "read_name",
]

REGISTRATION_NUMBER = "registration number"
ADDRESS = "address"
NOTE = "note"

_AKA = re.compile(
    r"(?:^|\s+)(?:a\.?k\.?a\.?|also\s+known\s+as|d/b/a|dba|doing\s+business\s+as|f/k/a|fka|"
    r"formerly(?:\s+known\s+as)?|previously|tidligere|tidl\.|tidigare|ehemals|vormals)\s+",
    re.I,
)
_REGISTRATION = re.compile(
    r"^(?:(?:company|business|reg(?:istration|istered)?|org(?:ani[sz]ation)?|vat|tax|cvr|"
    r"kvk|hrb|hra|crn|abn|acn|ein|organisasjons|organisations)?\s*\.?\s*"
    r"(?:no|nr|nummer|number|id|reg)?\.?\s*:?\s*|[A-Z]{1,3}\s?)"
    r"\d[\d .-]{3,}\d$",
    re.I,
)
_TRAILING_NUMBER = re.compile(r"\s+(\d[\d .-]{4,}\d)$")
_MARKS = re.compile(r"[®™©]")
_PURPOSE_PREFIX = re.compile(
    r"^\s*(tjenesteleverandør|service provider|leverandør|underleverandør)\s*:\s*", re.I
)
_CELL_DELIMITER = re.compile(r"\s*[,;]\s*|\s+(?:og|and)\s+|\n")
# lower-case words a name may contain ("Bank of America", "Fastly og Co")
_NAME_WORDS = {"of", "and", "for", "de", "the", "og", "och", "und", "&", "y", "von", "van"}
_NOT_NAMES = {"group", "konsern", "koncern", "koncernen", "holding", "parent", "subsidiary"}


@dataclass(frozen=True)
class OrganisationName:
    """What a name cell states: the organisation's name, its other names, and attributes
    (registration number, address, a remark) taken out of the name."""

    name: str
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


def is_registration_number(text: str) -> bool:
    """Return True when ``text`` reads as a company registration number ("B 186284",
    "HRB 85845", "Org.nr. 923 609 016", "603374146")."""
    return _REGISTRATION.match(text.strip(" .")) is not None


def _is_short_name(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 6 or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    if any(w[0].islower() and w not in _NAME_WORDS for w in words[1:]):
        return False
    return text.casefold() not in _NOT_NAMES and resolve_place(text) is None


def _brackets(text: str) -> tuple[str, list[str]]:
    """Return ``text`` without its top-level brackets, and what the brackets held; a bracket
    glued to a word ("alert(1)") is part of the word."""
    outside, inside, depth, start = [], [], 0, 0
    for index, char in enumerate(text):
        if char == "(" and (depth or index == 0 or text[index - 1].isspace()):
            if depth == 0:
                outside.append(text[start:index])
                start = index + 1
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                inside.append(text[start:index].strip())
                start = index + 1
    outside.append(text[start:] if depth == 0 else "(" + text[start:])
    return " ".join("".join(outside).split()), inside


def _split_aka(text: str) -> tuple[str, list[str]]:
    parts = _AKA.split(text)
    return parts[0].strip(" ,;"), [p.strip(" ,;") for p in parts[1:] if p.strip(" ,;")]


def _looks_like_address(parts: list[str]) -> bool:
    """Return True when the comma parts after a name read as an address: a number in them, or
    (with no other organisation among them) a country."""
    if any(any(ch.isdigit() for ch in part) for part in parts):
        return True
    if any(has_legal_form(part) for part in parts):
        return False
    return any(resolve_place(part) is not None for part in parts)


def _take_details(text: str) -> tuple[str, dict[str, str]]:
    """Return the name part of a cell and the registration number and address after it."""
    spans = list(split_outside_parens(text, re.compile(r"\s*,\s*")))
    parts = [text[s:e].strip() for s, e in spans]
    count = 1
    while count < len(parts) and LEGAL_FORM.match(_brackets(parts[count])[0]):
        count += 1
    name = ", ".join(parts[:count])
    if not name:  # nothing before the first comma: no name to take details from
        return text, {}
    rest = [p for p in parts[count:] if p]
    attributes: dict[str, str] = {}
    trailing = _TRAILING_NUMBER.search(name)
    if trailing:
        attributes[REGISTRATION_NUMBER] = trailing.group(1)
        name = name[: trailing.start()].strip(" ,")
    if not rest:
        return name, attributes
    if not _looks_like_address(rest):
        return text, {}
    if REGISTRATION_NUMBER not in attributes and is_registration_number(rest[0]):
        attributes[REGISTRATION_NUMBER] = rest.pop(0).strip(" .")
    if rest:
        attributes[ADDRESS] = ", ".join(rest).strip(" .")
    return name, attributes


def read_name(cell: str, brackets_are_names: bool = True) -> OrganisationName:
    """Return the organisation a name cell names, its aliases and the attributes taken out of
    it. With ``brackets_are_names`` False (an annex's sub-processor cell, where a bracket is a
    purpose) brackets are left in the name for the caller."""
    text = " ".join(_MARKS.sub("", cell).split()).strip(" ;")
    text = text if has_legal_form(text) else text.rstrip(" .")
    text, attributes = _take_details(text)
    text, aliases = _split_aka(text)
    name = text
    if brackets_are_names:
        outside, inside = _brackets(text)
        name = outside
        notes = []
        for remark in inside:
            remark, named = _split_aka(remark)
            aliases.extend(named)
            if not remark:
                continue
            if has_legal_form(remark) and not has_legal_form(outside):
                aliases.insert(0, name)
                name = remark
            elif _is_short_name(remark):
                aliases.append(remark)
            else:
                notes.append(remark)
        if notes:
            attributes[NOTE] = "; ".join(notes)
    own = {name_key(name), name_key(without_legal_form(name))}
    kept = [a for a in dict.fromkeys(aliases) if a and name_key(a) not in own]
    return OrganisationName(name=name or text, aliases=kept, attributes=attributes)


def _annex_part(part: str) -> tuple[str, str | None, list[str]]:
    """Return the name, purpose and aliases one part of a sub-processor cell states:
    "Tjenesteleverandør: Telenor" and "Link Mobility (SMS varsling)" state a purpose,
    "Nexmo (aka Vonage)" an alias."""
    purpose = None
    prefix = _PURPOSE_PREFIX.match(part)
    if prefix:
        purpose = prefix.group(1)
        part = part[prefix.end() :]
    aliases: list[str] = []
    bracket = re.search(r"\(([^)]*)\)\s*$", part)
    if bracket:
        inside, named = _split_aka(" " + bracket.group(1))
        aliases.extend(named)
        purpose = inside or purpose
        part = part[: bracket.start()].strip()
    return part, purpose, aliases


def parse_subprocessors(cell: str, source: Source) -> list[SubProcessorFact]:
    """Return the organisations an annex's sub-processor cell names, each with its purpose.

    Several names may be separated by commas, semicolons, "og" or "and"; a bracket after a
    name is its purpose ("Link Mobility (SMS varsling)"), or an alias after "aka"; a legal
    form ("Zendesk, Inc.") stays with its name, and a registration number or an address after
    a name becomes its attribute.
    """
    text = cell_text(cell)
    found: list[SubProcessorFact] = []
    for start, end in split_outside_parens(text, _CELL_DELIMITER):
        part, purpose, aliases = _annex_part(text[start:end].strip(" ."))
        if blank(part):  # a name of invisible characters is no name, as an empty one
            continue
        previous = found[-1] if found else None
        if previous is not None and LEGAL_FORM.match(part):
            # "Zendesk, Inc. (ticketing)": the legal form belongs to the name before it
            found[-1] = previous.model_copy(
                update={
                    "name": f"{previous.name}, {part}",
                    "purpose": purpose or previous.purpose,
                    "aliases": previous.aliases + aliases,
                }
            )
            continue
        if previous is not None and (is_registration_number(part) or _looks_like_address([part])):
            key = REGISTRATION_NUMBER if is_registration_number(part) else ADDRESS
            attributes = dict(previous.attributes)
            attributes[key] = ", ".join(filter(None, [attributes.get(key), part]))
            found[-1] = previous.model_copy(update={"attributes": attributes})
            continue
        named = read_name(part, brackets_are_names=False)
        found.append(
            SubProcessorFact(
                name=named.name,
                aliases=[*named.aliases, *aliases],
                purpose=purpose,
                attributes=named.attributes,
                source=source,
            )
        )
    return found

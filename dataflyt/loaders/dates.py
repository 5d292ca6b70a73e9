"""Finding a document's version date in its text ("Sist oppdatert 15.03.2021",
"Last update: 2024-09-12", "DATE: May 6th, 2025", "Oppdatert: 25. september 2018")."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["find_document_date", "parse_date"]

_MONTHS = {
    # English, Norwegian/Danish, Swedish (full names and common abbreviations)
    "january": 1,
    "jan": 1,
    "januar": 1,
    "januari": 1,
    "february": 2,
    "feb": 2,
    "februar": 2,
    "februari": 2,
    "march": 3,
    "mar": 3,
    "mars": 3,
    "marts": 3,
    "märz": 3,
    "mär": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "mai": 5,
    "maj": 5,
    "june": 6,
    "jun": 6,
    "juni": 6,
    "july": 7,
    "jul": 7,
    "juli": 7,
    "august": 8,
    "aug": 8,
    "augusti": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    "desember": 12,
    "des": 12,
    "dezember": 12,
    "dez": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PATTERNS = [
    (re.compile(r"(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})"), None),
    # 15.03.2021, 15/3/2021 and the Danish 21/05-2018
    (re.compile(r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})"), None),
    (re.compile(rf"(?P<d>\d{{1,2}})\.?\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})", re.I), "mon"),
    (
        re.compile(
            rf"(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I
        ),
        "mon",
    ),
]
_LABEL = re.compile(
    r"(?:sist\s+oppdatert|oppdatert|senast\s+uppdaterad|uppdaterad|sidst\s+opdateret|"
    r"senest\s+opdateret|opdateret|last\s+modified|senast\s+ändrad|as\s+of|"
    r"last\s+updated|last\s+update|updated|revised|effective(?:\s+date)?|gjelder\s+fra|"
    r"zuletzt\s+aktualisiert|aktualisiert|gültig\s+ab|"
    r"versjon\s+av|dato|datum|date)\s*:?\s*",
    re.I,
)


def parse_date(text: str) -> dt.date | None:
    """Return the first calendar date written in ``text`` (several formats), or None."""
    for pattern, month_group in _PATTERNS:
        for match in pattern.finditer(text):
            month = _MONTHS[match.group("mon").lower()] if month_group else int(match.group("m"))
            try:
                return dt.date(int(match.group("y")), month, int(match.group("d")))
            except ValueError:
                continue
    return None


def find_document_date(lines: list[str]) -> tuple[dt.date, int] | None:
    """Return the date after an "updated"/"oppdatert"/"date" label and its 1-based line, or None."""
    for number, line in enumerate(lines, start=1):
        for label in _LABEL.finditer(line):
            found = parse_date(line[label.end() : label.end() + 40])
            if found is not None:
                return found, number
    return None

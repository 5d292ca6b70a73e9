"""Company legal-form suffixes ("AS", "Inc.", "GmbH", "PBC", ...), which do not change who an
organisation is: "Zendesk", "Zendesk, Inc." and "ZENDESK INC" are one organisation. A name
ending in one names a legal entity ("Amazon Web Services EMEA SARL"), not a brand ("AWS")."""

from __future__ import annotations

import re

__all__ = ["LEGAL_FORM", "TRAILING_LEGAL_FORM", "has_legal_form", "without_legal_form"]

_FORMS = (
    r"as|asa|a\.s|inc|incorporated|ltd|limited|llc|l\.l\.c|plc|gmbh|ag|ab|aps|a/s|bv|b\.v|nv|n\.v|sa|s\.a|"
    r"sas|srl|oy|oyj|corp|corporation|co|company|unlimited company|dac|kg|se|pty|pte|llp|lp|"
    r"l\.p|sarl|s\.a\.r\.l|s\.à\s?r\.l|sca|s\.c\.a|kft|spa|s\.p\.a|pbc|ulc|ehf|hf|sprl|bvba"
)
# a legal form standing alone, e.g. the "Inc." left after splitting "Zendesk, Inc." on commas
LEGAL_FORM = re.compile(rf"^(?:{_FORMS})\.?$", re.I)
# a legal form ending a name, with the comma or space before it
TRAILING_LEGAL_FORM = re.compile(rf"[\s,]+(?:{_FORMS})\.?$", re.I)


def has_legal_form(name: str) -> bool:
    """Return True when ``name`` ends in a legal form, i.e. names a legal entity."""
    return TRAILING_LEGAL_FORM.search(name.strip()) is not None


def without_legal_form(name: str) -> str:
    """Return ``name`` without its trailing legal forms ("GitHub Australia Pty Ltd" ->
    "GitHub Australia"); a name that is only a legal form is returned as it is."""
    base = name.strip()
    while True:
        stripped = TRAILING_LEGAL_FORM.sub("", base).strip(" ,.")
        if stripped == base or not stripped:
            return base
        base = stripped

"""Company legal-form suffixes ("AS", "Inc.", "GmbH", ...), which do not change who an
organisation is: "Zendesk", "Zendesk, Inc." and "ZENDESK INC" are one organisation."""

from __future__ import annotations

import re

__all__ = ["LEGAL_FORM", "TRAILING_LEGAL_FORM"]

_FORMS = (
    r"as|asa|inc|incorporated|ltd|limited|llc|plc|gmbh|ag|ab|aps|a/s|bv|b\.v|nv|n\.v|sa|s\.a|sas|srl|oy|oyj|"
    r"corp|corporation|co|company|kg|se|pty|pte|llp|lp|sarl|s\.a\.r\.l|kft|spa|s\.p\.a"
)
# a legal form standing alone, e.g. the "Inc." left after splitting "Zendesk, Inc." on commas
LEGAL_FORM = re.compile(rf"^(?:{_FORMS})\.?$", re.I)
# a legal form ending a name, with the comma or space before it
TRAILING_LEGAL_FORM = re.compile(rf"[\s,]+(?:{_FORMS})\.?$", re.I)

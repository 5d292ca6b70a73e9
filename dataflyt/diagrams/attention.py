"""A point of a DPIA report that needs the DPO's attention."""

from __future__ import annotations

import msgspec

from dataflyt.graph.citation import Citation

__all__ = ["Attention"]


class Attention(msgspec.Struct, kw_only=True, frozen=True):
    """One point to look at: its topic, the service or organisation, what and where it says."""

    topic: str
    subject: str
    text: str
    source: Citation | None = None

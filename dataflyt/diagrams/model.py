"""The plain model a diagram is drawn from: actors, processes, organisations and places, the
flows between them and the jurisdiction zones places sit in.

Built once from the store (``dataflyt.diagrams.build``) and never changed while rendered, so
every text generator (DOT, Mermaid) draws exactly the same picture.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = ["Diagram", "Element", "ElementKind", "Flow", "FlowKind", "Line", "Zone", "ZoneKind"]


class ElementKind(StrEnum):
    """What a box on the diagram stands for, in data-flow-diagram terms."""

    SUBJECT = "subject"  # an actor: whose personal data it is
    SERVICE = "service"  # a process
    ORGANISATION = "organisation"  # an external organisation: provider or sub-processor
    PLACE = "place"  # where data is processed, inside its jurisdiction zone


class FlowKind(StrEnum):
    """What an arrow says."""

    DATA = "data"  # subject -> service: the categories collected
    ROLE = "role"  # service -> provider: the provider's role
    ENGAGES = "engages"  # service or organisation -> sub-processor
    LOCATED = "located"  # service or organisation -> place


class ZoneKind(StrEnum):
    """The jurisdiction groups places are drawn in, in drawing order."""

    EEA = "eea"
    ADEQUACY = "adequacy"
    NO_ADEQUACY = "no_adequacy"
    NOT_PINNED_DOWN = "not_pinned_down"


class Line(BaseModel):
    """One line of a label; ``high`` marks high-sensitivity data (shown highlighted)."""

    model_config = ConfigDict(frozen=True)

    text: str
    high: bool = False


class Element(BaseModel):
    """One box: a stable key (safe in every format), its name and a small note under it."""

    model_config = ConfigDict(frozen=True)

    key: str
    kind: ElementKind
    name: str
    note: str | None = None
    high: bool = False
    zone: ZoneKind | None = None


class Flow(BaseModel):
    """One arrow between two element keys, with its label lines."""

    model_config = ConfigDict(frozen=True)

    source: str
    target: str
    kind: FlowKind
    lines: tuple[Line, ...] = ()
    high: bool = False
    dashed: bool = False


class Zone(BaseModel):
    """A jurisdiction boundary and its title."""

    model_config = ConfigDict(frozen=True)

    kind: ZoneKind
    title: str


class Diagram(BaseModel):
    """Everything drawn: title, caption (the sources), the date the diagram describes,
    elements and flows (sorted), zones in use, and a note under the caption when the diagram
    is simplified (services aggregated per provider)."""

    model_config = ConfigDict(frozen=True)

    title: str
    caption: str
    describes: str
    note: str | None = None
    elements: tuple[Element, ...]
    flows: tuple[Flow, ...]
    zones: tuple[Zone, ...]

    @property
    def caption_lines(self) -> tuple[str, ...]:
        """Return the lines under the title: the caption, the date described, then the note
        if there is one."""
        lines = (self.caption, self.describes)
        return (*lines, self.note) if self.note else lines

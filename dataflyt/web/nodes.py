"""The page of one node (service, organisation, data category, data subject, country or document
version), as ``dataflyt show`` describes it: a service's facts, an organisation's services and
engagements, what the node is (a category's sensitivity, a country's code, a document's dates),
and every fact linking it to a neighbour, each with its citation."""

from __future__ import annotations

from itertools import groupby

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from dataflyt.graph.model import AnyNode, Country, Document
from dataflyt.queries.browse import Neighbour, show_node
from dataflyt.queries.history import versions_of
from dataflyt.queries.places import Standing, standing
from dataflyt.web.params import PAGE_SIZE, store_of
from dataflyt.web.templating import page

__all__ = ["RELATION_HEADINGS", "NeighbourGroup", "node", "node_fields"]

# the words a page heads each group of neighbours with: (relation, direction) -> heading
RELATION_HEADINGS = {
    ("PROVIDES", "in"): "Provided by",
    ("PROVIDES", "out"): "Provides",
    ("PROCESSES", "out"): "Data categories processed",
    ("PROCESSES", "in"): "Processed by",
    ("CONCERNS", "out"): "Data subjects",
    ("CONCERNS", "in"): "Services processing their data",
    ("ENGAGES", "out"): "Engages (sub-processors)",
    ("ENGAGES", "in"): "Engaged by",
    ("PROCESSED_IN", "out"): "Processed in",
    ("PROCESSED_IN", "in"): "Processing here",
    ("CHILD_OF", "out"): "Parent category",
    ("CHILD_OF", "in"): "Sub-categories",
    ("DESCRIBED_IN", "out"): "Described in",
    ("DESCRIBED_IN", "in"): "Describes",
    ("PART_OF", "out"): "Part of",
    ("PART_OF", "in"): "Its legal entities",
}
# fields every node has, shown as its heading
_HEADING_FIELDS = {"id", "name"}


class NeighbourGroup(msgspec.Struct, kw_only=True, frozen=True):
    """The neighbours of a node along one relation and direction, as a page shows them."""

    key: str
    heading: str
    neighbours: list[Neighbour]
    total: int


def node_fields(node: AnyNode) -> list[tuple[str, str]]:
    """Return what a node is beyond its name, as (label, value) pairs: a category's key,
    Norwegian name and sensitivity, a country's code, a document version's dates and file;
    yes/no for flags, values left unset left out."""
    shown = []
    for field in msgspec.structs.fields(node):
        value = getattr(node, field.name)
        if field.name in _HEADING_FIELDS or value is None or value == "":
            continue
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        shown.append((field.name.replace("_", " "), text))
    return shown


def _groups(neighbours: list[Neighbour], expanded: str | None) -> list[NeighbourGroup]:
    """Return ``neighbours`` grouped by relation and direction, each group cut to a page of
    rows unless it is the ``expanded`` one."""
    groups = []
    ordered = sorted(neighbours, key=lambda n: (n.relation, n.direction))
    for (relation, direction), members in groupby(ordered, key=lambda n: (n.relation, n.direction)):
        rows = list(members)
        key = f"{relation}-{direction}"
        groups.append(
            NeighbourGroup(
                key=key,
                heading=RELATION_HEADINGS.get((relation, direction), relation),
                neighbours=rows if key == expanded else rows[:PAGE_SIZE],
                total=len(rows),
            )
        )
    return groups


def node(request: Request) -> Response:
    """The page of one node: what it is, a service's or organisation's facts, and every
    neighbour, each fact with its citation; a country also says where it stands for
    transfers, a document version lists the document's versions (a data category's page
    loads the services touching it from ``touches``)."""
    store = store_of(request)
    shown = show_node(store, request.path_params["node_id"])
    found = store.node(shown.id)
    country = found if isinstance(found, Country) else None
    where: Standing | None = standing(country) if country else None
    versions = versions_of(store, found) if isinstance(found, Document) else []
    groups = _groups(shown.neighbours, request.query_params.get("all"))
    service, organisation = shown.service, shown.organisation
    return page(
        request,
        "node.html.j2",
        {
            "node": shown,
            "fields": node_fields(found) if found else [],
            "groups": groups,
            "standing": where,
            "code": country.code if country else None,
            "versions": versions,
            "page_size": PAGE_SIZE,
            # engagements as (who engages, what its document states of it)
            "own_engagements": [(service, e) for e in service.engagements] if service else [],
            "engaged_by": [(e.by, e.facts) for e in organisation.engaged_by]
            if organisation
            else [],
            "engages": [(e.by, e.facts) for e in organisation.engages] if organisation else [],
        },
    )

"""Recognising the columns of a sub-processor list by what their headers mean, in English,
Norwegian, Danish, Swedish and German, short ("Datalokation") or long ("The location where the
Sub-Processor will process the Personal Data ..., including applicable safeguards").

A header is read by its head: case folded, a remark in brackets and trailing colons dropped.
The cues of each column are tried in a fixed order, most specific first, so "Location of
subprocessors" is a place column although it names the sub-processors, and "Corporate
location" is where the organisation is established, not where it processes data. A user can
name the columns instead (``--columns name="Underdatabehandler",places="Datalokation"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from dataflyt.loaders.columns import folded_header, header_key

__all__ = [
    "ColumnMapping",
    "ListColumn",
    "header_head",
    "is_list_header",
    "parse_column_mapping",
    "recognise_columns",
]


class ListColumn(StrEnum):
    """The columns of a sub-processor list, by the key ``--columns`` names them with."""

    NAME = "name"
    ENTITY = "entity"
    PURPOSE = "purpose"
    PLACES = "places"
    COUNTRY = "country"
    DATA = "data"
    SUBJECTS = "subjects"
    SERVICES = "services"
    ADDED = "added"
    SAFEGUARDS = "safeguards"
    REGISTRATION = "registration"
    ADDRESS = "address"


ColumnMapping = Mapping[ListColumn, str]

# (column, cue, what excludes it), most specific first; matched on the folded head
_CUES: list[tuple[ListColumn, str, str | None]] = [
    (
        ListColumn.ADDED,
        r"\b(?:added|date added|tilf(?:ø|o)jet|lagt til|tillagd|tillagt|hinzugef(?:ü|u)gt|"
        r"aufgenommen|start(?:ed)?|start ?dat[eo]|since|siden|sedan|seit|effective|opdateret|"
        r"oppdatert|uppdaterad|aktualisiert|updated|date|dato|datum)\b",
        r"\b(?:end|ended|slut|removed|fjernet|borttagen|entfernt|until|til og med|ophør)\b",
    ),
    (
        ListColumn.REGISTRATION,
        r"registration (?:no|nr|number|id)|registered number|company (?:no|nr|number|id)|"
        r"\borg(?:ani[sz]ation)?\.? ?(?:no|nr|nummer|number)\b|organisasjonsnummer|"
        r"organisationsnummer|\bcvr\b|handelsregister|registernummer|business id|vat (?:no|number)",
        None,
    ),
    (
        ListColumn.ADDRESS,
        r"^(?:registered |postal |business |office |street )?(?:address|adresse|adress|"
        r"anschrift)$|^(?:post|forretnings|besøks)adresse$|^registered office$",
        None,
    ),
    (
        ListColumn.COUNTRY,
        r"corporate|headquarter|\bhq\b|registered (?:country|office)|country of (?:registration|"
        r"incorporation|establishment|domicile|origin)|(?:entity|company|registration|"
        r"incorporation) country|domicile|\bsitz\b|hovedkontor|hovedsæde|\bsäte\b|"
        r"etabler(?:t|et) i|registreringsland|hjemland|established in|incorporated in",
        None,
    ),
    (
        ListColumn.PLACES,
        r"locat|\bcountr|\bland\b|\blande\b|\blander\b|\bländer\b|\bregion|hosting|hosted|"
        r"data ?cent(?:er|re)|datasenter|lokation|lokasjon|plassering|placering|"
        r"behandlingssted|\bsted\b|standort|\bort\b|\bplats\b|geograph|jurisdiction|"
        r"tredjeland|third countr",
        None,
    ),
    (
        ListColumn.SAFEGUARDS,
        r"safeguard|transfer (?:mechanism|tool|basis|instrument|method)|mechanism|"
        r"legal basis|lawful basis|lovlig(?:t)? grundlag|rettslig grunnlag|rättslig grund|"
        r"overf(?:ø|o)rings?grun+lag|overførselsgrundlag|grundlag for overførsel|"
        r"overføringsmekanisme|garanti|skyddsåtgärd|överföring|rechtsgrundlage|übermittlung",
        None,
    ),
    (
        ListColumn.SUBJECTS,
        r"data subjects?|categories of (?:data subjects|individuals)|types of (?:data subjects|"
        r"individuals)|registrerte|registrerede|registrerade|betroffene",
        None,
    ),
    (
        ListColumn.DATA,
        r"personal data|personopplysning|personoplysning|personuppgift|personenbezogen|"
        r"\bdata ?(?:categor|type|element|field|processed|set|shared|accessed|involved)|"
        r"categor(?:y|ies) of (?:personal )?data|types? of (?:personal )?data|datatyp|"
        r"datakategori|datenkategorie|datenart|end-?user data|customer data|kundedata|"
        r"^data$|^daten$|opplysninger|oplysninger|uppgifter|information processed",
        None,
    ),
    (
        ListColumn.SERVICES,
        r"(?:relevant|applicable|affected|concerned|related|associated|covered|in-scope) "
        r"(?:services?|products?)|services? (?:concerned|affected|covered|used)|"
        r"relevante (?:tjenester|ydelser)|berørte (?:tjenester|ydelser)|tjenester som berøres|"
        r"relevanta tjänster|berörda tjänster|betroffene (?:dienste|produkte)",
        None,
    ),
    (
        ListColumn.PURPOSE,
        r"purpose|formål|\bformal\b|syfte|ändamål|zweck|function|funktion|funksjon|descri|"
        r"beskrivelse|beskrivning|beschreibung|nature|activit|aktivitet|tätigkeit|\brole\b|"
        r"\brolle\b|type of service|services? provided|^services?$|^tjenester?$|^tjänst(?:er)?$|"
        r"^dienst(?:leistung)?$|^ydelser?$|leistung|\bbruk\b|usage|\buse\b|anvendelse|"
        r"användning|processing operation|^processing$|^behandling$|^verarbeitung$",
        None,
    ),
    (
        ListColumn.ENTITY,
        r"legal (?:entity|name)|juridisk (?:enhet|enhed|navn|person)|rechtsträger|"
        r"registered (?:company )?name|contracting entity",
        None,
    ),
    (
        ListColumn.NAME,
        r"name|navn|namn|entit|compan|firma|selskap|selskab|virksomhed|foretak|företag|"
        r"unternehmen|leverand|leverant|lieferant|anbieter|dienstleister|vendor|supplier|"
        r"provider|processor|databehandler|biträde|auftragsverarbeiter|identity|third[ -]part|"
        r"subcontractor|partner|organi[sz]ation|organisasjon",
        r"cookie|informasjonskapsel|\bfile|\bfield|parameter|variable|column|kolonne|"
        r"\btype\b|\bkind\b",
    ),
]
_COMPILED = [
    (column, re.compile(cue), re.compile(exclude) if exclude else None)
    for column, cue, exclude in _CUES
]
# a place column that says it is about processing, beside one that only says "Country"
_PROCESSING_PLACE = re.compile(
    r"process|behandl|verarbeit|hosting|hosted|data ?locat|datalokation|lokasjon|stor(?:ed|age)"
)
_SYNONYMS = {
    "location": ListColumn.PLACES,
    "locations": ListColumn.PLACES,
    "categories": ListColumn.DATA,
}


def header_head(cell: str) -> str:
    """Return the part of a header cell its meaning is read from: folded, without remarks in
    brackets, footnote marks and trailing colons."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", folded_header(cell))
    return " ".join(text.split()).strip(" :*.#")


def _meaning(cell: str) -> ListColumn | None:
    head = header_head(cell)
    for column, cue, exclude in _COMPILED:
        if cue.search(head) and not (exclude and exclude.search(head)):
            return column
    return None


def _mapped_index(cells: list[str], header: str) -> int | None:
    """Return the index of the cell ``header`` names: the same text (case, spacing and
    punctuation ignored), else the one cell it begins."""
    wanted = header_key(header)
    keys = [header_key(cell) for cell in cells]
    if wanted in keys:
        return keys.index(wanted)
    starting = [i for i, key in enumerate(keys) if wanted and key.startswith(wanted)]
    return starting[0] if len(starting) == 1 else None


def recognise_columns(
    cells: list[str], mapping: ColumnMapping | None = None
) -> dict[ListColumn, list[int]]:
    """Return, for each column, the indexes of the header ``cells`` it is in: the cells the
    user's ``mapping`` names, then the others by meaning."""
    found: dict[ListColumn, list[int]] = {}
    taken: set[int] = set()
    for column, header in (mapping or {}).items():
        index = _mapped_index(cells, header)
        if index is not None:
            found[column] = [index]
            taken.add(index)
    for index, cell in enumerate(cells):
        meaning = _meaning(cell) if index not in taken else None
        if meaning is not None and meaning not in (mapping or {}):
            found.setdefault(meaning, []).append(index)
    places = found.get(ListColumn.PLACES, [])
    processing = [i for i in places if _PROCESSING_PLACE.search(header_head(cells[i]))]
    if processing and len(processing) < len(places) and ListColumn.PLACES not in (mapping or {}):
        found[ListColumn.PLACES] = processing
        others = [i for i in places if i not in processing]
        found[ListColumn.COUNTRY] = sorted(found.get(ListColumn.COUNTRY, []) + others)
    return found


def is_list_header(cells: list[str], mapping: ColumnMapping | None = None) -> bool:
    """Return True when ``cells`` is a sub-processor list header: it has a name column (or a
    legal-entity column), by meaning or as ``mapping`` names it."""
    columns = recognise_columns(cells, mapping)
    if mapping and ListColumn.NAME in mapping:
        return ListColumn.NAME in columns
    return ListColumn.NAME in columns or ListColumn.ENTITY in columns


def parse_column_mapping(text: str) -> dict[ListColumn, str]:
    """Return the mapping written as ``name="Underdatabehandler",places="Datalokation"`` (keys:
    the ``ListColumn`` values; quotes needed only around a header with a comma); raise
    ``ValueError`` saying what is wrong."""
    pair = re.compile(r'\s*([^=,"]+?)\s*=\s*(?:"([^"]*)"|([^,"]*))\s*(?:,|$)')
    found: dict[ListColumn, str] = {}
    position = 0
    while position < len(text):
        match = pair.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(
                f"cannot read --columns at {text[position:][:30]!r}: write KEY=HEADER pairs "
                'separated by commas, e.g. name="Underdatabehandler",places="Datalokation"'
            )
        key = match.group(1).casefold()
        column: ListColumn | None = _SYNONYMS.get(key) or next(
            (c for c in ListColumn if c.value == key), None
        )
        if column is None:
            keys = ", ".join(c.value for c in ListColumn)
            raise ValueError(f"unknown column {match.group(1)!r} in --columns (known: {keys})")
        header = (match.group(2) if match.group(2) is not None else match.group(3)).strip()
        if not header:
            raise ValueError(f"--columns {key}= names no header")
        if column in found:
            raise ValueError(f"--columns names {column.value} twice")
        found[column] = header
        position = match.end()
    if not found:
        raise ValueError("--columns names no column")
    return found

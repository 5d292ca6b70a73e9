"""Synthetic maps: realistic, invented documents of any size, for benchmarks and tests.

A map of N services has several providers, each describing its services in one data-processing
annex, and vendors in three tiers, each publishing its own sub-processor list. Services engage
vendors of any tier; tier 3 engages tier 2, tier 2 engages tier 1, and tier 1 engages a few
shared infrastructure vendors (hosting, CDN, SMS, payments, email, ...), so sub-processor chains
run up to four levels deep and end where they do in real life: at the same handful of vendors.
Providers also engage a vendor for all their processing, without saying where it works for
them; every other engaging document states where its sub-processor works (the vendor's
regions), as an annex row or a list row does. Categories come from the vocabulary
with realistic frequencies (names and email addresses common, call recordings and health data
rare); most processing stays in the EEA, some goes to the US, the UK, India, Switzerland, Japan
and elsewhere, and some location lists are not exhaustive. The ingredients (name parts,
weights, the infrastructure vendors) are data, in ``reference/synthetic.json``.

A map may also hold earlier versions of every document (``versions``): a year apart each, an
earlier one without the last service of an annex and the last sub-processor of a list, which
were added later.

Every choice is drawn from one ``random.Random(seed)``: the same arguments give the same
documents. Names are unique and plausible, but invented.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.store import GraphStore
from dataflyt.ids import slug
from dataflyt.ingest.load import load_documents
from dataflyt.loaders.models import (
    CategoryFact,
    DocumentFormat,
    LocationFact,
    OrganisationRecord,
    OrganisationRelation,
    ParsedDocument,
    ServiceRecord,
    Source,
    SubProcessorFact,
)
from dataflyt.progress import Progress, silent
from dataflyt.reference.jurisdictions import country_name
from dataflyt.reference.vocabulary import vocabulary

if TYPE_CHECKING:
    from dataflyt.graph.summary import MapSummary

__all__ = [
    "MAX_SERVICES",
    "MAX_VERSIONS",
    "Infrastructure",
    "infrastructure",
    "load_synthetic_map",
    "synthesize",
    "synthetic_versions",
    "write_synthetic_map",
]

MAX_SERVICES = 100_000
MAX_VERSIONS = 10
_SERVICES_PER_PROVIDER = 50
_SERVICES_PER_VENDOR = 25
# how a service's engagements spread over infrastructure and vendor tiers 1, 2 and 3
_TIER_SHARES = (0.15, 0.2, 0.3, 0.35)
_T = TypeVar("_T")


@dataclass(frozen=True)
class Infrastructure:
    """A shared infrastructure vendor at the end of many sub-processor chains."""

    name: str
    country: str
    purpose: str
    regions: tuple[str, ...]


@cache
def _data() -> dict[str, Any]:
    text = resources.files("dataflyt.reference").joinpath("synthetic.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def infrastructure() -> list[Infrastructure]:
    """Return the infrastructure vendors that synthetic maps share, the most shared first."""
    return [
        Infrastructure(i["name"], i["country"], i["purpose"], tuple(i["regions"]))
        for i in _data()["infrastructure"]
    ]


class _Pool(Generic[_T]):
    """Items drawn by weight from one random generator."""

    def __init__(self, rng: random.Random, weighted: Iterable[tuple[_T, float]]) -> None:
        pairs = list(weighted)
        self.rng = rng
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.indexes = range(len(self.items))

    def _index(self) -> int:
        return self.rng.choices(self.indexes, cum_weights=self.cum)[0]

    def one(self) -> _T:
        """Return one item, drawn by weight."""
        return self.items[self._index()]

    def distinct(self, count: int) -> list[_T]:
        """Return ``count`` different items drawn by weight (all of them if there are fewer)."""
        chosen: list[int] = []
        while len(chosen) < min(count, len(self.items)):
            index = self._index()
            if index not in chosen:
                chosen.append(index)
        return [self.items[index] for index in chosen]


@dataclass
class _Org:
    name: str
    country: str
    purpose: str
    regions: tuple[str, ...]
    subs: list[_Org] = field(default_factory=list)


def _zipf(orgs: list[_Org], scale: float = 1.0) -> list[tuple[_Org, float]]:
    """Weight ``orgs`` by 1/rank (times ``scale``): the first is shared most."""
    return [(org, scale / (rank + 1)) for rank, org in enumerate(orgs)]


def _record(org: _Org, source: Source) -> OrganisationRecord:
    dpf = True if org.country == "US" else None
    return OrganisationRecord(name=org.name, country=org.country, dpf_certified=dpf, source=source)


def _engagement(
    org: _Org,
    source: Source,
    categories: list[str] | None,
    locations: list[LocationFact] | None = None,
) -> SubProcessorFact:
    return SubProcessorFact(
        name=org.name,
        purpose=org.purpose,
        categories=categories,
        locations=locations or [],
        source=source,
    )


class _Generator:
    """One synthetic map being drawn; every random choice goes through ``self.rng``."""

    def __init__(self, services: int, seed: int) -> None:
        data = _data()
        vocab = vocabulary()
        self.rng = rng = random.Random(seed)
        self.fingerprint = f"dataflyt-synth:{services}:{seed}"
        default = data["default_category_odds"]
        self.odds = [(key, data["category_odds"].get(key, default)) for key in vocab.categories]
        self.common = sorted(data["category_odds"], key=data["category_odds"].get)[-3:]
        self.labels = {key: entry.en for key, entry in vocab.categories.items()}
        weights = data["subject_weights"]
        self.subjects = _Pool(rng, ((key, weights.get(key, 0.5)) for key in vocab.subjects))
        self.roles = _Pool(rng, ((vocab.roles[key], w) for key, w in data["roles"].items()))
        self.in_eea = _Pool(rng, data["places_in_eea"].items())
        self.outside_eea = _Pool(rng, data["places_outside_eea"].items())
        codes = [*data["places_in_eea"], *data["places_outside_eea"]]
        self.place_names = {code: "EEA" if code == "EEA" else country_name(code) for code in codes}

    # -- organisations ---------------------------------------------------------------------
    def organisations(self, count: int, purposes: list[str]) -> list[_Org]:
        """Return ``count`` organisations with different names, countries and purposes."""
        legal_forms = _data()["legal_forms"]
        orgs = []
        for name in self.names(_data()["organisation_names"].values(), count):
            country = self.in_eea.one() if self.rng.random() < 0.75 else self.outside_eea.one()
            country = "NO" if country == "EEA" else country
            full_name = f"{name} {legal_forms[country]}"
            orgs.append(_Org(full_name, country, self.rng.choice(purposes), (country,)))
        return orgs

    def names(self, parts: Iterable[list[str]], count: int) -> list[str]:
        """Return ``count`` different names made of one word of each of ``parts`` (a word may
        be empty), in the order drawn."""
        lists = list(parts)
        names = []
        for index in self.rng.sample(range(math.prod(len(words) for words in lists)), count):
            chosen = []
            for words in reversed(lists):
                index, position = divmod(index, len(words))
                chosen.append(words[position])
            names.append(" ".join(word for word in reversed(chosen) if word))
        return names

    def wire(self, tiers: list[list[_Org]]) -> None:
        """Give every vendor one to three sub-processors in the tier below it."""
        for lower, upper in pairwise(tiers):
            pool = _Pool(self.rng, _zipf(lower))
            for org in upper:
                org.subs = pool.distinct(self.rng.choice((1, 1, 1, 2, 2, 3)))

    def split(self, total: int, parts: int) -> list[int]:
        """Return ``parts`` uneven sizes, each at least 1, adding up to ``total``."""
        weights = [self.rng.lognormvariate(0, 0.8) for _ in range(parts)]
        sizes = [1] * parts
        for part in self.rng.choices(range(parts), weights=weights, k=total - parts):
            sizes[part] += 1
        return sizes

    # -- documents -------------------------------------------------------------------------
    def document(self, owner: _Org, path: str, title: str, **contents: Any) -> ParsedDocument:
        """Return a dated document of ``owner`` at ``path`` with ``contents``."""
        fingerprint = f"{self.fingerprint}:{path}".encode()
        return ParsedDocument(
            path=path,
            title=title,
            provider=owner.name,
            date=dt.date(2024, 1, 1) + dt.timedelta(days=self.rng.randrange(700)),
            sha256=hashlib.sha256(fingerprint).hexdigest(),
            **contents,
        )

    def vendor_document(self, vendor: _Org) -> ParsedDocument:
        """Return ``vendor``'s published list of its sub-processors and where they work."""
        path = f"synthetic/{slug(vendor.name)}/sub-processors.html"
        records = [_record(vendor, Source(file=path, line=1, text=vendor.name))]
        relations = []
        for line, sub in enumerate(vendor.subs, start=3):
            row = Source(file=path, line=line, text=f"{sub.name}: {sub.purpose}")
            records.append(_record(sub, row))
            stated = sorted(self.rng.sample(self.common, 2)) if self.rng.random() < 0.3 else None
            relations.append(
                OrganisationRelation(
                    organisation=vendor.name,
                    subprocessor=_engagement(sub, row, stated, self.places(sub, row)),
                )
            )
        return self.document(
            vendor,
            path,
            "Sub-processors",
            format=DocumentFormat.SUBPROCESSORS_HTML,
            services=[],
            organisations=records,
            relations=relations,
        )

    def provider_document(self, provider: _Org, count: int, vendors: _Pool[_Org]) -> ParsedDocument:
        """Return ``provider``'s annex describing ``count`` services, each on its own line."""
        path = f"synthetic/{slug(provider.name)}/dpa.txt"
        head = Source(file=path, line=1, text=provider.name)
        relations = [
            OrganisationRelation(
                organisation=provider.name, subprocessor=_engagement(org, head, None)
            )
            for org in vendors.distinct(self.rng.choice((1, 1, 2)))
        ]
        brand = [provider.name.split()[0]]
        names = sorted(self.names([brand, *_data()["service_names"].values()], count))
        return self.document(
            provider,
            path,
            "DPA",
            format=DocumentFormat.ANNEX,
            services=[
                self.service(name, provider, path, line, vendors)
                for line, name in enumerate(names, start=3)
            ],
            organisations=[_record(provider, head)],
            relations=relations,
        )

    def service(
        self, name: str, provider: _Org, path: str, line: int, vendors: _Pool[_Org]
    ) -> ServiceRecord:
        """Return one service: categories by their odds, subjects, sub-processors, places."""
        rng = self.rng
        keys = [key for key, odds in self.odds if rng.random() < odds] or ["name"]
        labels = [self.labels[key] for key in keys]
        data = Source(file=path, line=line, text=", ".join(labels))
        subjects = sorted(self.subjects.distinct(rng.choice((1, 1, 1, 2, 2, 3))))
        engaged = vendors.distinct(rng.choice((0, 1, 1, 1, 2, 2, 3)))
        subs = Source(file=path, line=line, text=", ".join(org.name for org in engaged))
        codes = [self.in_eea.one()]
        if rng.random() < 0.15:
            codes.append(self.outside_eea.one())
        where = Source(file=path, line=line, text=", ".join(self.place_names[c] for c in codes))
        exhaustive = rng.random() >= 0.07
        role = self.roles.one()
        return ServiceRecord(
            name=name,
            provider=provider.name,
            role=role.key,
            role_text=role.en,
            categories=[
                CategoryFact(key=key, label=label, subjects=subjects, source=data)
                for key, label in zip(keys, labels, strict=True)
            ],
            subprocessors=[
                _engagement(
                    org,
                    subs,
                    self.stated(keys) if rng.random() < 0.35 else None,
                    self.places(org, Source(file=path, line=line, text=", ".join(org.regions))),
                )
                for org in engaged
            ],
            locations=[self.place(code, where, exhaustive) for code in codes],
            source=Source(file=path, line=line, text=name),
        )

    def stated(self, keys: list[str]) -> list[str]:
        """Return some of ``keys``: what a document says a sub-processor receives."""
        return sorted(self.rng.sample(keys, self.rng.randint(1, len(keys))))

    def places(self, org: _Org, source: Source) -> list[LocationFact]:
        """Return where ``org`` processes data, as a document engaging it states."""
        return [self.place(code, source, True) for code in org.regions]

    def place(self, code: str, source: Source, exhaustive: bool) -> LocationFact:
        """Return a location fact for ``code`` (a country, or the EEA as a region)."""
        return LocationFact(
            code=code,
            name=self.place_names[code],
            is_region=code == "EEA",
            exhaustive=exhaustive,
            note=None if exhaustive else "and other places where sub-processors work",
            source=source,
        )


def synthesize(services: int, seed: int) -> list[ParsedDocument]:
    """Return the documents of a synthetic map with ``services`` services, drawn from ``seed``.

    One annex per provider (about one provider per 50 services, at least 3) and one
    sub-processor list per vendor (about one vendor per 25 services, in three tiers above the
    shared infrastructure). The same ``services`` and ``seed`` always give the same documents.
    Raises ``ValueError`` when ``services`` is not between 1 and ``MAX_SERVICES``.
    """
    if not 1 <= services <= MAX_SERVICES:
        raise ValueError(f"services must be between 1 and {MAX_SERVICES}, not {services}")
    return _draw(services, seed)


def synthetic_versions(services: int, seed: int, versions: int) -> list[list[ParsedDocument]]:
    """Return ``versions`` versions of the documents of ``synthesize(services, seed)``, the
    oldest first and the latest last (those documents): each earlier version is dated a year
    before the next, and lacks the last service of an annex and the last sub-processor of a
    list that holds more than one. Raises ``ValueError`` when ``versions`` is not between 1
    and ``MAX_VERSIONS``."""
    if not 1 <= versions <= MAX_VERSIONS:
        raise ValueError(f"versions must be between 1 and {MAX_VERSIONS}, not {versions}")
    latest = synthesize(services, seed)
    history = [latest]
    for _ in range(versions - 1):
        history.insert(0, [_earlier(doc) for doc in history[0]])
    return history


def _earlier(doc: ParsedDocument) -> ParsedDocument:
    """Return the version of ``doc`` a year before it, without the row added last."""
    return doc.model_copy(
        update={
            "date": doc.date - dt.timedelta(days=365) if doc.date else None,
            "sha256": hashlib.sha256(f"{doc.sha256}:earlier".encode()).hexdigest(),
            "services": doc.services[:-1] if len(doc.services) > 1 else doc.services,
            "relations": doc.relations[:-1] if len(doc.relations) > 1 else doc.relations,
        }
    )


def _draw(services: int, seed: int) -> list[ParsedDocument]:
    gen = _Generator(services, seed)
    provider_count = min(services, max(3, round(services / _SERVICES_PER_PROVIDER)))
    vendor_count = max(3, round(services / _SERVICES_PER_VENDOR))
    orgs = gen.organisations(provider_count + vendor_count, _data()["vendor_purposes"])
    providers, vendors = orgs[:provider_count], orgs[provider_count:]
    first, second = max(1, vendor_count * 4 // 10), max(2, vendor_count * 7 // 10)
    tiers = [
        [_Org(i.name, i.country, i.purpose, i.regions) for i in infrastructure()],
        vendors[:first],
        vendors[first:second],
        vendors[second:],
    ]
    gen.wire(tiers)
    engaged = _Pool(
        gen.rng,
        (
            pair
            for tier, share in zip(tiers, _TIER_SHARES, strict=True)
            for pair in _zipf(tier, share / len(tier))
        ),
    )
    documents = [gen.vendor_document(vendor) for vendor in vendors]
    sizes = gen.split(services, provider_count)
    for provider, size in zip(providers, sizes, strict=True):
        documents.append(gen.provider_document(provider, size, engaged))
    return documents


def load_synthetic_map(
    store: GraphStore,
    services: int,
    seed: int,
    versions: int = 1,
    progress: Progress = silent,
) -> None:
    """Load ``synthetic_versions(services, seed, versions)`` into ``store``, the oldest
    version first, each loaded on the date of its latest document, so that the same arguments
    give the same map. The caller holds ``store`` for writing. ``progress`` hears of inventing
    the documents, of loading each version and of the end."""
    steps = versions + 1
    progress("Inventing documents", 0, steps)
    history = synthetic_versions(services, seed, versions)
    for done, documents in enumerate(history, start=1):
        progress(f"Loading version {done} of {versions}", done, steps)
        loaded = max(doc.date for doc in documents if doc.date is not None)
        load_documents(store, documents, [], loaded)
    progress("Written", steps, steps)


def write_synthetic_map(
    path: Path, services: int, seed: int, progress: Progress = silent, versions: int = 1
) -> MapSummary:
    """Write the synthetic map of ``load_synthetic_map`` to the embedded map file ``path``,
    replacing a map file there (atomically: on failure the old one stays) but never another
    file; return what the new map holds. ``progress`` hears of each version written."""
    store = EmbeddedStore(path, fresh=True)
    load_synthetic_map(store, services, seed, versions, progress)
    return store.summary()

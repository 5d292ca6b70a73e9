"""The export formats, kept free of heavy imports so the CLI can offer them cheaply."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ExportFormat"]


class ExportFormat(StrEnum):
    """What ``dataflyt export`` writes."""

    JSON = "json"
    GRAPHML = "graphml"
    CYPHER = "cypher"
    ROPA_CSV = "ropa-csv"
    ROPA_XLSX = "ropa-xlsx"
    DPV = "dpv"
    FIDES = "fides"

    @property
    def binary(self) -> bool:
        """Return True for formats that are not text (they cannot go to standard output)."""
        return self is ExportFormat.ROPA_XLSX

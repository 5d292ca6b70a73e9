"""dataflyt: personal-data flows from vendor documentation."""

__version__ = "0.1.0"

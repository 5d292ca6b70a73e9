"""Watched sources: vendors' published documents (sub-processor pages, annexes) that dataflyt
fetches, keeps as evidence and loads into the map when they change.

``registry`` holds what is watched (``SourceRegistry``, a file beside the map), ``fetch``
fetches a page over HTTP with limits, ``content`` tells which document a response is,
``evidence`` keeps each version's bytes with what was fetched when, and ``watch`` runs them
all over the registry, with ``queries.deadline`` giving each new sub-processor's Art. 28(2)
objection deadline.
"""

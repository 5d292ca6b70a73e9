"""The load workflow: documents read by the loaders become a batch of nodes and edges
that replaces their documents in a store."""

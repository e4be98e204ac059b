"""Model and domain code shared by serving, training, benchmarks and tests.

Nothing here needs a running Ray cluster except ``retail.catalog.load_catalog``,
which reads files through Ray Data (and starts a local Ray if none is up).
"""

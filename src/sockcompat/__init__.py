"""sockcompat: what a host's sockets can do, measured through Python's socket module.

The flow runs one way: catalog (what to probe) -> probes (how) -> classify (what an error means)
-> Observation -> pytest plugin -> host report JSON -> merge -> render.

PYTEST_DONT_REWRITE: the CLI imports this package before starting pytest, so pytest could not
rewrite it anyway; the marker keeps pytest from warning about that.
"""

__version__ = "0.1.0"

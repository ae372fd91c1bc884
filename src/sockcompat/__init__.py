"""sockcompat: what a host's sockets can do, measured through Python's socket module.

The flow runs one way: catalog (what to probe) -> probes (how) -> classify (what an error means)
-> Observation -> pytest plugin -> host report JSON -> merge -> render.
"""

__version__ = "0.1.0"

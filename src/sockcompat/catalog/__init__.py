"""What to probe, as data: constant tables per OS, the create matrix rule, privilege rules.

Nothing in this package calls the OS; probes import from it, never the other way round.
"""

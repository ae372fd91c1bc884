"""How to probe: one small module per area. Each probe takes a catalog row and a ProbeContext and
returns Observations; errors go through ``classify``, waits through ``isolation``."""

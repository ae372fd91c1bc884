"""Host reports: the schema, building and writing one, validating many."""

"""The persistent index: its database (:mod:`.sqlite`: schema, connection, lock, read-only use)
and the index itself (:mod:`.index`: add, query, families)."""

"""The corpus rules, engine-free: candidate pairs (:mod:`.candidates`, with the exact
near-neighbour search of :mod:`.nearest`), the stages of a scan (:mod:`.stages`), reprint families
(:mod:`.families`) and outlet profiles (:mod:`.outlets`). Engines (:mod:`wiretrace.engines`) run
them; nothing here imports an engine."""

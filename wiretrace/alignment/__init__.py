"""Aligning two texts: what an alignment is made of (:mod:`.model`: spans, edits, segments, the
verdict), words (:mod:`.words`: word sequences, word diffs, word links), passages (:mod:`.passages`:
the aligner) and the verdict on the pair (:mod:`.verdict`)."""

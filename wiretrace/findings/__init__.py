"""Findings: what was changed deliberately between two aligned texts.

* :mod:`substitutions`: word and phrase replacements, grouped, with systematic ones first;
* :mod:`quotes`: quotations kept intact, altered, or present on one side only;
* :mod:`facts`: numbers, dates, names, roles and negations that drifted, and named entities dropped.

All three read the same word links (:mod:`wiretrace.findings.links`), computed once per segment.
"""

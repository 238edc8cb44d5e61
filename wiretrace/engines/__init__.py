"""Engines that run a corpus scan: the local one is wiretrace.scan itself; spark is here."""

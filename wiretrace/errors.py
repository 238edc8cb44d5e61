"""Typed errors. The library raises these; the CLI turns each into one line and an exit code."""


class WiretraceError(Exception):
    """Base class for every error wiretrace raises on purpose."""


class InputError(WiretraceError):
    """The input cannot be used (missing, empty, binary, unreadable); the message says how to fix it."""


class ModelError(WiretraceError):
    """The sentence encoder cannot be loaded or built."""

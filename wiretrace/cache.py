"""The cache folder: models built once on this machine, and lists derived from installed packages.

Nothing in it is precious: delete it and wiretrace builds what it needs again (the encoder in a
few seconds, the static model in about half a minute).
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """Where built models live: ``$WIRETRACE_CACHE``, else ``$XDG_CACHE_HOME/wiretrace``."""
    explicit = os.environ.get("WIRETRACE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wiretrace"

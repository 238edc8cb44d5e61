"""The verdict on real news: copies against independent reports of one event, partial reuse,
boilerplate, hard-wrapped text and scraping debris.

Texts are real web pages from bench/data/reprints-more (each page's role is explained in its
README); where a test builds a variant (wrapped, with debris, spliced), it says how.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace import Comparer, Document
from wiretrace.alignment import evidence
from wiretrace.comparer import Comparison
from wiretrace.text.segment import segment

MORE = Path(__file__).resolve().parents[1] / "bench" / "data" / "reprints-more" / "families.jsonl"


@cache
def page(site: str, family_start: str) -> Document:
    for line in MORE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["site"] == site and row["family"].startswith(family_start):
            return Document(site, row["text"])
    raise LookupError(site)


AP_TRUMP = "ap-2024-05-30-trump-convicted"
NBC_TRUMP = "nbc-2024-05-30-trump-trial"
MUTED = "unattributed-2024-05-30-trump-verdict"


def test_a_spun_copy_is_derived_with_high_confidence(comparer: Comparer) -> None:
    # minionnews ran NBC's text (as ljnewsopinions carries it) through a rewriter.
    result = comparer.compare(
        page("ljnewsopinions.com", NBC_TRUMP), page("minionnews.com", NBC_TRUMP)
    )
    assert result.verdict.derived and result.verdict.confidence >= 0.9


@pytest.mark.parametrize(
    ("site_a", "family_a", "site_b", "family_b"),
    [
        # AP's verdict story (PA-edited) against another outlet's own report of the same verdict.
        ("thecourier.co.uk", AP_TRUMP, "uk.news.yahoo.com", AP_TRUMP),
        # AP's against Reuters' report of the same verdict, both as reprinted.
        ("thecourier.co.uk", AP_TRUMP, "straitstimes.com", "reuters-2024-05-30"),
        # NBC's courtroom story against Yahoo's own courtroom report of the same afternoon.
        ("ljnewsopinions.com", NBC_TRUMP, "au.news.yahoo.com", NBC_TRUMP),
    ],
)
def test_independent_reports_of_one_event_are_not_derived(
    comparer: Comparer, site_a: str, family_a: str, site_b: str, family_b: str
) -> None:
    result = comparer.compare(page(site_a, family_a), page(site_b, family_b))
    assert not result.verdict.derived
    assert result.verdict.relation in ("same_event", "unrelated")


def _first_sentences(doc: Document, count: int) -> str:
    units = [u for u in segment(doc.text) if u.role == "sentence"]
    return doc.text[units[0].start : units[count - 1].end]


def test_a_copied_block_inside_an_article_of_its_own_is_a_partial_copy(comparer: Comparer) -> None:
    """Built from two real pages: the first six sentences of one story, then another story's own
    text (the 'first six sentences copied, the rest its own' case)."""
    source = page("updatem.com", MUTED)
    own = page("searchenginego.com", NBC_TRUMP)
    spliced = Document("spliced", _first_sentences(source, 6) + "\n" + own.text)
    result = comparer.compare(source, spliced)
    assert result.verdict.derived
    assert result.verdict.relation == "partial_copy"
    assert len(result.reuse) == 1  # one copied passage, not one piece per sentence
    block = result.reuse[0]
    assert len(block.segments) >= 5 and block.kind == "verbatim"
    assert spliced.text[block.b.start : block.b.end] == block.b.text


PAYWALL = "TAKE A FREE TRIAL to read the full story and more from our newsroom."
SUBSCRIBE = "Subscribe to The Daily Chronicle today and never miss a story."


def test_shared_boilerplate_is_never_evidence(comparer: Comparer) -> None:
    """Two unrelated real stories behind the same paywall and subscription lines."""
    a = page("thecourier.co.uk", AP_TRUMP)
    b = page("whizbuddy.com", "nyt-2024-06-01")
    with_furniture = [
        Document(d.id, f"{PAYWALL}\n{d.text}\n{SUBSCRIBE}\nAdvertisement") for d in (a, b)
    ]
    result = comparer.compare(*with_furniture)
    assert not result.verdict.derived
    boilerplate = [s for s in result.segments if s.boilerplate]
    assert boilerplate and all(s.kind == "verbatim" for s in boilerplate if s.aligned)
    assert result.to_dict()["segments"][0]["boilerplate"] is True


def test_a_text_of_boilerplate_only_is_unrelated_with_a_note(comparer: Comparer) -> None:
    result = comparer.compare(
        page("thecourier.co.uk", AP_TRUMP), Document("menu", f"{SUBSCRIBE}\nAdvertisement")
    )
    assert result.verdict.relation == "unrelated" and not result.verdict.derived
    assert "boilerplate" in result.verdict.note


def _verdict(result: Comparison) -> tuple[bool, str]:
    return result.verdict.derived, result.verdict.relation


def test_a_hard_wrapped_copy_is_the_same_text(comparer: Comparer) -> None:
    """The same page re-wrapped at 60 characters, as wire feeds, e-mail and PDFs deliver it."""
    original = page("newstimeshd.com", MUTED)
    paragraphs = [p for p in original.text.split("\n") if p.strip()]
    wrapped = Document("wrapped", "\n\n".join(textwrap.fill(p, 60) for p in paragraphs))
    assert len(segment(wrapped.text)) == len(segment(original.text))
    assert _verdict(comparer.compare(original, wrapped)) == (True, "identical")


def test_scraping_debris_keeps_a_verbatim_copy_verbatim(comparer: Comparer) -> None:
    """The same page with link-icon text glued to names ("Trumplink") and spaces dropped before
    "the" ("verdictthe"), as scrapers leave them."""
    original = page("newstimeshd.com", MUTED)
    debris = re.sub(
        r"(\w{4,}) the ", r"\1the ", original.text.replace("Trump ", "Trumplink ", 3), count=2
    )
    assert debris != original.text
    result = comparer.compare(original, Document("debris", debris))
    assert result.verdict.derived
    assert result.verdict.relation in ("identical", "verbatim_copy")


# --- Fast twins of the evidence's readable definitions --------------------------------------

#: Words of a real page (thecourier.co.uk's copy of AP's Trump verdict), ``None`` a quoted word: a
#: small vocabulary, so that drawn sequences repeat words as real text does ("the", names).
_VOCABULARY: list[str | None] = [
    *dict.fromkeys(re.findall(r"\w+", page("thecourier.co.uk", AP_TRUMP).text)[:60]),
    None,
]
words = st.lists(st.sampled_from(_VOCABULARY), max_size=60)


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_the_fast_longest_run_equals_its_definition(
    a: list[str | None], b: list[str | None]
) -> None:
    """The rolling-hash run (every scan pair) measures what the dynamic programme defines."""
    assert evidence.longest_common_run_fast(a, b) == evidence.longest_common_run(a, b)


@settings(max_examples=300, deadline=None)
@given(words)
def test_the_fast_phrases_equal_their_definition(a: list[str | None]) -> None:
    assert evidence._phrases_fast(a) == evidence._phrases(a)


def test_the_longest_run_of_two_real_copies_is_found_and_stops_at_quotations() -> None:
    a = page("thecourier.co.uk", AP_TRUMP).text
    words_a: list[str | None] = list(re.findall(r"\w+", a))
    # A copy that keeps 40 words of the page in a row, then 45 more with a quoted word in the
    # middle: the quotation breaks that run into two of 22.
    later: list[str | None] = list(words_a[200:245])
    later[22] = None
    copy = [*words_a[100:140], "x", *later]
    assert evidence.longest_common_run_fast(words_a, copy) == 40
    assert evidence.longest_common_run(words_a, copy) == 40


def test_a_text_is_read_once_per_segmentation_and_roles() -> None:
    text = page("thecourier.co.uk", AP_TRUMP).text
    units = segment(text)
    first = evidence.body_words(text, units)
    assert evidence.body_words(text, segment(text)) is first
    demoted = [replace(u, role="boilerplate") if u.index == 1 else u for u in units]
    other = evidence.body_words(text, demoted)
    assert other is not first
    assert len([w for w in other.runs.words if w]) < len([w for w in first.runs.words if w])

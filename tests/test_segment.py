"""Segmentation: units with exact offsets; datelines, credits and subheads as units of their own."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.text.debris import repair, vocabulary
from wiretrace.text.documents import normalise
from wiretrace.text.segment import MAX_UNIT_CHARS, paragraphs, segment
from wiretrace.text.tokens import tokenize


def test_dateline_and_credit_are_units() -> None:
    text = "TEL AVIV (AFP) – Benny Gantz will travel to Morocco on Tuesday, officials said.\n\nA caption line. - AFP"
    units = segment(text)
    assert [(u.role, u.text) for u in units] == [
        ("dateline", "TEL AVIV (AFP) –"),
        ("sentence", "Benny Gantz will travel to Morocco on Tuesday, officials said."),
        ("sentence", "A caption line."),
        ("credit", "- AFP"),
    ]


def test_reuters_dateline_and_subhead() -> None:
    text = "LONDON, Nov 23 (Reuters) - Shares fell sharply on Monday as investors fled.\nTiming 'not coincidental'\nMore text follows here."
    roles = [(u.role, u.text) for u in segment(text)]
    assert roles[0] == ("dateline", "LONDON, Nov 23 (Reuters) -")
    assert ("heading", "Timing 'not coincidental'") in roles


def test_abbreviations_do_not_split_sentences() -> None:
    units = segment("Mr. Smith met U.S. officials at 3 p.m. on Jan. 5 in Washington. Then he left.")
    assert len(units) == 2


def test_a_runaway_sentence_is_cut() -> None:
    text = " ".join(["word"] * 5000)
    units = segment(text)
    assert len(units) > 1 and all(len(u.text) <= MAX_UNIT_CHARS for u in units)


news_like = st.text(
    alphabet=st.sampled_from(list("abcdefgh ABC.,;:!?\"'“”‘’«»-–—()\n\t0123456789éß中")),
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(news_like)
def test_unit_offsets_index_the_original_text(text: str) -> None:
    units = segment(text)
    previous_end = 0
    for index, unit in enumerate(units):
        assert unit.index == index
        assert text[unit.start : unit.end] == unit.text
        assert unit.text == unit.text.strip() and unit.text
        assert unit.start >= previous_end  # in reading order, never overlapping
        previous_end = unit.end


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_token_offsets_index_the_original_text(text: str) -> None:
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text


def _real_texts() -> list[str]:
    root = Path(__file__).resolve().parents[1]
    files = [
        root.parent / "shared" / "data" / "reprints-dev" / "families.jsonl",
        root / "bench" / "data" / "reprints-more" / "families.jsonl",
    ]
    return [json.loads(line)["text"] for f in files for line in f.read_text().splitlines()]


def test_debris_repair_changes_only_debris_in_real_pages() -> None:
    """Over 267 real pages, every word the repair changes is scraper debris: a JSON escape, an
    escaped tag, or a function word run into the word before it ("Bankman-Friedthe")."""
    changed = []
    for text in _real_texts():
        words = vocabulary(text)
        for line in text.split("\n"):
            key = normalise(line)
            before, after = key.split(), repair(key, words).split()
            changed.extend(w for w in before if w not in after)
    assert changed, "the real pages do hold some debris (the Verge copy's JSON escapes)"
    assert all("\\" in w or w.endswith(("the", "that")) for w in changed), changed


def test_hard_wrapping_is_recognised_only_where_it_is() -> None:
    """Of the 267 real pages, only the one delivered hard-wrapped (a Reuters story on
    lincolndailynews, a line break every ~75 characters) has its lines joined."""
    joined = [
        t
        for t in _real_texts()
        if len(paragraphs(t)) < sum(1 for line in t.splitlines() if line.strip())
    ]
    assert len(joined) == 1 and "Ayodhya" in joined[0]


def test_a_wrapped_paragraph_keeps_offsets_and_sentences() -> None:
    text = (
        "LONDON (Reuters) - Shares fell sharply on Monday as investors\n"
        "fled riskier assets after the central bank surprised markets\n"
        "with a larger rate rise than expected. Traders said the move\n"
        "caught many off guard.\n"
        "\n"
        "The pound also weakened against the dollar and the euro, and\n"
        "bond yields rose to their highest level in more than a year.\n"
    )
    units = segment(text)
    assert [u.role for u in units] == ["dateline", "sentence", "sentence", "sentence"]
    assert all(text[u.start : u.end] == u.text for u in units)
    assert "investors fled riskier" in units[1].key

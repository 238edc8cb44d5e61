"""Segmentation: units with exact offsets; datelines, credits and subheads as units of their own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.text.segment import MAX_UNIT_CHARS, segment
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

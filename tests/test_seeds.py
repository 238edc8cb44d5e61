"""The canonical example: one AFP story, a substituted republication (A) and a spun copy (B)."""

from __future__ import annotations

from wiretrace.comparer import Comparison

# The 25 passages of B that render a passage of A, as (start of A's passage, start of B's passage).
CORRESPONDENCES = [
    ("Zionist's Defence Minister Benny Gantz headed", "Benny Gantz, Israel’s defence minister"),
    ("The two-day trip comes", "The two-day trip comes"),
    ("In return, Washington recognised", "In exchange, Washington acknowledged"),
    ("Gantz, the first Jewish defence minister", "Gantz, the first Israeli defence minister"),
    ("The trip aims to", "According to an AFP source acquainted"),
    ('"Until now there has been', "“There has always been"),
    ("Morocco controls most", "Morocco controls the majority"),
    ("Tensions have flared", "Tensions have risen"),
    ("Algeria cut diplomatic ties", "Algeria severed diplomatic ties"),
    ("Earlier this month, Algiers", "Earlier this month, Algeria"),
    ("And Polisario head", "And, according to Polisario leader"),
    ("Timing 'not coincidental'", "‘Not coincidence’ timing"),
    ("Bruce Maddy-Weitzman, a Jewish expert", "According to Bruce Maddy-Weitzman"),
    ("\"It's possible that", "“It’s probable that"),
    ('"It would seem to me', "“It appears to me"),
    ("Rabat normalised ties with the Jewish state", "Last December, Rabat normalised"),
    ("Last month, Zionist's Ratio Petroleum", "Ratio Petroleum, an Israeli company"),
    ("Zionist's defence ministry oversees", "All security exports are overseen"),
    ("'Benefits of recalibrating'", "‘The Advantages of Recalibrating"),
    ("One Jewish product", "According to Amnesty International and the Paris-based"),
    ("Rabat allegedly used it", "Rabat is accused of using it"),
    ("A spokeswoman for Gantz", "A Gantz spokesman declined"),
    ("The Jewish-Palestinian conflict", "The Israeli-Palestinian issue"),
    ("According to Maddy-Weitzman, while", "While Rabat has not abandoned"),
    ('"Most of the countries', "“Most of the nations"),
]

ONLY_A = [
    "US Secretary of State Antony Blinken",  # the photo caption
    "Morocco and Zionist previously set up ties in 1993",
    "Before departing for Morocco, Gantz addressed",  # Reichman University
    "It was not clear if the Islamic Republic",
    "Gantz charged that",
]
ONLY_B = ["Deals mediated by the United States", "Pegasus malware was also found"]


def _pairs(result: Comparison) -> list[tuple[str, str]]:
    return [(s.a.text, s.b.text) for s in result.segments if s.a is not None and s.b is not None]


def test_every_corresponding_passage_is_aligned(seeds: Comparison) -> None:
    pairs = _pairs(seeds)
    for start_a, start_b in CORRESPONDENCES:
        assert any(a.startswith(start_a) and b.startswith(start_b) for a, b in pairs), (
            start_a,
            start_b,
        )
    assert len(CORRESPONDENCES) == 25


def test_no_passage_is_aligned_to_a_wrong_counterpart(seeds: Comparison) -> None:
    for a, b in _pairs(seeds):
        expected = [sb for sa, sb in CORRESPONDENCES if a.startswith(sa)]
        if expected:  # the dateline pair is the only extra correspondence
            assert b.startswith(expected[0]), (a, b)
        else:
            assert a == "TEL AVIV:" and b.startswith("TEL AVIV (AFP)"), (a, b)


def test_passages_in_one_version_only(seeds: Comparison) -> None:
    a_only = [s.a.text for s in seeds.segments if s.kind == "a_only" and s.a]
    b_only = [s.b.text for s in seeds.segments if s.kind == "b_only" and s.b]
    for start in ONLY_A:
        assert any(text.startswith(start) for text in a_only), start
    for start in ONLY_B:
        assert any(text.startswith(start) for text in b_only), start
    assert len(b_only) == len(ONLY_B)


def test_verdict_is_a_derived_paraphrase(seeds: Comparison) -> None:
    verdict = seeds.verdict
    assert verdict.derived
    assert verdict.relation == "paraphrased_copy"
    assert verdict.shared_b > 0.9 > verdict.shared_a > 0.6
    assert 0.5 < verdict.confidence <= 1.0


def test_moved_subhead_is_flagged(seeds: Comparison) -> None:
    moved = [s for s in seeds.segments if s.moved]
    assert [s.a.text for s in moved if s.a] == ["'Benefits of recalibrating'"]


def test_spun_sentences_carry_word_edits(seeds: Comparison) -> None:
    segment = next(s for s in seeds.segments if s.a and s.a.text.startswith("Tensions have flared"))
    replaced = {(e.a.text, e.b.text) for e in segment.edits if e.op == "replace" and e.a and e.b}
    assert ("flared", "risen") in replaced
    for edit in segment.edits:
        for span in (edit.a, edit.b):
            # Whole words: an edit never starts or ends inside a word.
            if span is not None:
                assert span.text == span.text.strip() and span.text


def test_segments_cover_each_text_once(seeds: Comparison) -> None:
    for side, count in (("a", seeds.units_a), ("b", seeds.units_b)):
        units = [u for s in seeds.segments for u in (s.units_a if side == "a" else s.units_b)]
        assert sorted(units) == list(range(count))

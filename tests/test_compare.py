"""compare on articles written for the tests: copies, splits, moves, same-event reports, unrelated."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wiretrace
from wiretrace import CompareConfig, Comparer, Document
from wiretrace.comparer import Comparison

from .conftest import article


def _spans_index_texts(result: Comparison) -> None:
    for segment in result.to_dict()["segments"]:
        for side, doc in (("a", result.a), ("b", result.b)):
            span = segment[side]
            if span is not None:
                assert doc.text[span["start"] : span["end"]] == span["text"]
        for edit in segment["edits"]:
            for side, doc in (("a", result.a), ("b", result.b)):
                if edit[side] is not None:
                    assert doc.text[edit[side]["start"] : edit[side]["end"]] == edit[side]["text"]


def test_identical_texts(comparer: Comparer) -> None:
    doc = article("council_budget_a.txt")
    result = comparer.compare(doc, doc)
    assert result.verdict.relation == "identical" and result.verdict.derived
    assert {s.kind for s in result.segments} == {"verbatim"}
    assert result.verdict.shared_a == result.verdict.shared_b == 1.0


def test_split_move_drop_and_addition(comparer: Comparer) -> None:
    result = comparer.compare(article("council_budget_a.txt"), article("council_budget_b.txt"))
    assert result.verdict.derived
    split = [s for s in result.segments if len(s.units_b) == 2]
    assert len(split) == 1 and split[0].a and split[0].a.text.startswith("Mayor Anne Duval")
    assert split[0].kind == "edited"  # "She said it would also" is a small edit, not a rewording
    moved = [s for s in result.segments if s.moved]
    assert len(moved) == 1 and moved[0].kind == "verbatim"
    assert [s.a.text[:20] for s in result.segments if s.kind == "a_only" and s.a] == [
        "The regional audit o"
    ]
    assert [s.b.text[:20] for s in result.segments if s.kind == "b_only" and s.b] == [
        "Local schools welcom"
    ]
    _spans_index_texts(result)


def test_merge_is_the_mirror_of_split(comparer: Comparer) -> None:
    forward = comparer.compare(article("council_budget_a.txt"), article("council_budget_b.txt"))
    backward = comparer.compare(article("council_budget_b.txt"), article("council_budget_a.txt"))
    assert [len(s.units_a) for s in backward.segments if len(s.units_a) > 1] == [2]
    assert forward.verdict.derived == backward.verdict.derived


def test_same_event_report_by_another_agency_is_not_derived(
    comparer: Comparer, seed_a: Document, seed_b: Document
) -> None:
    other = article("gantz_rabat_other_agency.txt")
    for seed in (seed_a, seed_b):
        result = comparer.compare(seed, other)
        assert not result.verdict.derived, seed.id
        assert result.verdict.relation == "same_event"


def test_unrelated_story(comparer: Comparer, seed_b: Document) -> None:
    result = comparer.compare(seed_b, article("harbour_flood.txt"))
    assert result.verdict.relation == "unrelated" and not result.verdict.derived
    assert not any(s.aligned for s in result.segments)


def test_trimmed_verbatim_copy_with_a_local_paragraph(comparer: Comparer, seed_b: Document) -> None:
    paragraphs = seed_b.text.split("\n")
    copy = (
        "\n".join(paragraphs[:12]) + "\nThe visit was covered live by our correspondent in Rabat."
    )
    result = comparer.compare(seed_b, Document("copy", copy))
    assert result.verdict.derived and result.verdict.relation == "verbatim_copy"
    assert result.verdict.shared_b > 0.9
    assert sum(1 for s in result.segments if s.kind == "b_only") == 1


def test_lexical_comparer_finds_copies_on_words_alone(
    comparer: Comparer, seed_a: Document, seed_b: Document
) -> None:
    """``Comparer(lexical=True)`` (scan --lexical-only) never loads the model: it still finds the
    loaded-word copy (most sentences keep most words) but not the spinner's paraphrase."""
    lexical = Comparer(lexical=True)
    original, loaded = article("strike_original.txt"), article("strike_loaded_copy.txt")
    found = lexical.compare(original, loaded, findings=False)
    assert found.verdict.derived
    full = comparer.compare(original, loaded, findings=False)
    assert found.verdict.shared_a >= 0.8 * full.verdict.shared_a
    assert not lexical.compare(
        original, article("harbour_flood.txt"), findings=False
    ).verdict.derived
    spun = lexical.compare(seed_a, seed_b, findings=False)
    assert comparer.compare(seed_a, seed_b, findings=False).verdict.derived
    assert spun.verdict.shared_b < comparer.compare(seed_a, seed_b, findings=False).verdict.shared_b
    assert lexical._encoder is None  # no model was loaded for any of it


def test_swapping_a_and_b_swaps_the_result(
    comparer: Comparer, seeds: Comparison, seed_a: Document, seed_b: Document
) -> None:
    swapped = comparer.compare(seed_b, seed_a)
    forward = {(s.units_a, s.units_b, s.kind) for s in seeds.segments}
    backward = {
        (
            s.units_b,
            s.units_a,
            s.kind.replace("b_only", "x").replace("a_only", "b_only").replace("x", "a_only"),
        )
        for s in swapped.segments
    }
    assert forward == backward
    assert swapped.verdict.derived == seeds.verdict.derived
    assert abs(swapped.verdict.shared_a - seeds.verdict.shared_b) < 1e-9


def test_json_contract(seeds: Comparison) -> None:
    payload = json.loads(json.dumps(seeds.to_dict()))
    assert payload["schema"] == "wiretrace.compare/1"
    assert set(payload) == {
        "schema",
        "a",
        "b",
        "verdict",
        "segments",
        "reuse",
        "reference",
        "substitutions",
        "quotes",
        "facts",
        "omissions",
    }
    assert set(payload["a"]) == {"id", "chars", "sentences", "language"}
    assert payload["a"]["language"] == payload["b"]["language"] == "en"
    assert set(payload["verdict"]) == {
        "derived",
        "relation",
        "shared_a",
        "shared_b",
        "confidence",
        "evidence",
    }
    assert set(payload["verdict"]["evidence"]) == {
        "ordered_coverage",
        "block_coverage",
        "wording_kept",
        "long_passages_kept",
        "shared_phrasing",
        "quoted_share",
        "longest_run",
        "passages_in_order",
    }
    for block in payload["reuse"]:
        assert set(block) == {"a", "b", "kind", "segments"}
        assert all(payload["segments"][k]["a"] is not None for k in block["segments"])
    for segment in payload["segments"]:
        assert set(segment) == {"kind", "a", "b", "similarity", "moved", "boilerplate", "edits"}
        assert segment["kind"] in {"verbatim", "edited", "paraphrase", "a_only", "b_only"}
        assert 0.0 <= segment["similarity"] <= 1.0
        for edit in segment["edits"]:
            assert edit["op"] in {"replace", "insert", "delete"}
    _spans_index_texts(seeds)


def test_module_level_api_matches_the_comparer(
    seeds: Comparison, seed_a: Document, seed_b: Document
) -> None:
    assert wiretrace.compare(seed_a, seed_b).to_dict() == seeds.to_dict()
    strict = wiretrace.compare(
        seed_a, seed_b, match_threshold=0.9, gap_threshold=0.9, moved_threshold=0.95
    )
    assert sum(s.aligned for s in strict.segments) < sum(s.aligned for s in seeds.segments)


def test_config_is_validated() -> None:
    import pytest

    with pytest.raises(ValueError, match="between 0 and 1"):
        CompareConfig(match_threshold=1.5)
    with pytest.raises(ValueError, match="moves need more evidence"):
        CompareConfig(moved_threshold=0.5)


sentences = st.sampled_from(
    [
        "The council approved the budget on Tuesday.",
        "“We will not pay,” said the mayor.",
        "Rain flooded the lower town.",
        "TEL AVIV (AFP) – Gantz flew to Rabat.",
        "Shares fell 3% in early trading.",
        "Officials denied the report.",
        "- AFP",
    ]
)
article_text = st.lists(sentences, min_size=1, max_size=8).map(
    lambda xs: " ".join(xs) if len(xs) % 2 else "\n".join(xs)
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(article_text, article_text)
def test_offsets_index_the_original_texts_for_any_pair(comparer: Comparer, a: str, b: str) -> None:
    result = comparer.compare(a, b)
    _spans_index_texts(result)
    covered_a = sorted(u for s in result.segments for u in s.units_a)
    assert covered_a == list(range(result.units_a))

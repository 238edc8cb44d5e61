"""Findings on real text: the seeds, and article pairs written with known changes."""

from __future__ import annotations

import pytest

from wiretrace import Comparer
from wiretrace.comparer import Comparison
from wiretrace.findings.facts import mentions
from wiretrace.findings.substitutions import fold
from wiretrace.text.quotations import extract_quotations

from .conftest import article


@pytest.fixture(scope="module")
def loaded(comparer: Comparer) -> Comparison:
    return comparer.compare(article("strike_original.txt"), article("strike_loaded_copy.txt"))


# -- seeds -------------------------------------------------------------------------------------


def test_seed_systematic_substitutions_come_first(seeds: Comparison) -> None:
    first, second = seeds.substitutions[:2]
    assert first.systematic and second.systematic
    assert "Zionist" in first.a and "Israel" in first.b and first.count >= 4
    assert second.a == "Jewish" and second.b == "Israeli" and second.count >= 3
    for occurrence in first.occurrences:
        assert seeds.a.text[occurrence.a.start : occurrence.a.end] == occurrence.a.text
        assert seeds.b.text[occurrence.b.start : occurrence.b.end] == occurrence.b.text
        assert "Zionist" in occurrence.a.text and "Israel" in occurrence.b.text


@pytest.mark.parametrize(
    ("a", "b"), [("recognised", "acknowledged"), ("killing", "murdering"), ("flared", "risen")]
)
def test_seed_one_off_synonyms_are_not_systematic(seeds: Comparison, a: str, b: str) -> None:
    matches = [s for s in seeds.substitutions if a in s.a and b in s.b]
    assert matches, (a, b)
    assert not any(s.systematic for s in matches)


def _quote_status(result: Comparison, start: str) -> str:
    found = [q for q in result.quotes if q.a is not None and q.a.span.text.startswith(start)]
    assert len(found) == 1, start
    return found[0].status


def test_seed_quotations(seeds: Comparison) -> None:
    assert _quote_status(seeds, "Most of the countries in the region") == "altered"
    assert _quote_status(seeds, "Until now there has been some level of cooperation") == "altered"
    assert _quote_status(seeds, "formalise") == "intact"
    altered = next(
        q for q in seeds.quotes if q.a and q.a.span.text.startswith("Most of the countries")
    )
    assert altered.a is not None and altered.a.speaker == "he"
    assert any(
        e.a and e.b and e.a.text == "countries" and e.b.text == "nations" for e in altered.edits
    )


def test_seed_facts(seeds: Comparison) -> None:
    facts = {(f.type, f.a.text, f.b.text) for f in seeds.facts}
    assert ("role", "spokeswoman", "spokesman") in facts
    assert ("date", "yesterday", "Tuesday") in facts
    assert not [f for f in seeds.facts if f.type == "number"]  # "November 29", "three", "two-day"
    assert any(o.a and o.a.text == "Forbidden Stories" for o in seeds.omissions)


def test_seed_json_carries_findings(seeds: Comparison) -> None:
    payload = seeds.to_dict()
    assert payload["substitutions"][0]["systematic"] is True
    assert set(payload["substitutions"][0]) == {
        "a",
        "b",
        "count",
        "systematic",
        "kept",
        "occurrences",
    }
    assert {q["status"] for q in payload["quotes"]} >= {"intact", "altered"}
    assert all(set(f) == {"type", "a", "b"} for f in payload["facts"])


# -- article pairs written for the tests --------------------------------------------------------


def test_loaded_copy_substitutions(loaded: Comparison) -> None:
    systematic = [(s.a, s.b, s.count) for s in loaded.substitutions if s.systematic]
    assert systematic[0] == ("Kyiv / KYIV", "Kiev / KIEV", 5)
    assert ("Ukraine's", "Kiev regime's", 2) in systematic
    assert not any(s.systematic for s in loaded.substitutions if s.a == "said")


def test_loaded_copy_quote_and_facts(loaded: Comparison) -> None:
    assert _quote_status(loaded, "We are pulling people out of the rubble") == "altered"
    assert _quote_status(loaded, "Every missile that gets through") == "intact"
    facts = {(f.type, f.a.text, f.b.text) for f in loaded.facts}
    assert facts == {("number", "23", "32"), ("title", "mayor", "governor")}


def test_faithful_copy_has_no_findings(comparer: Comparer) -> None:
    result = comparer.compare(article("strike_original.txt"), article("strike_faithful_copy.txt"))
    assert result.verdict.relation == "verbatim_copy"
    assert result.substitutions == () and result.facts == () and result.omissions == ()
    assert {q.status for q in result.quotes} == {"intact"}


# -- the parts on their own ---------------------------------------------------------------------


def test_quotation_marks_and_speakers() -> None:
    text = (
        "«Nous restons», a dit le ministre. He said: “We will not give up.” "
        "\"It is over,\" said Anna Novak. The so-called 'peace plan' was rejected. "
        "“First sentence. Second sentence,” she added. \"He called it 'a farce' twice,\" said the source."
    )
    quotes = {q.span.text: q.speaker for q in extract_quotations(text)}
    assert quotes["Nous restons"] is None
    assert quotes["We will not give up."] == "He"
    assert quotes["It is over,"] == "Anna Novak"
    assert quotes["peace plan"] is None
    assert quotes["First sentence. Second sentence,"] == "she"
    assert (
        "He called it 'a farce' twice," in quotes and "a farce" not in quotes
    )  # nested stays inside
    assert "s done" not in " ".join(quotes)  # apostrophes are not quotes


def test_numbers_in_words_and_digits_are_one_fact() -> None:
    keys = lambda text: sorted(m.key for m in mentions(text, 0, len(text)) if m.kind == "number")  # noqa: E731
    assert keys("three civilians were killed") == keys("3 civilians were killed")
    assert keys("a deal worth $2.5 billion") == keys("a deal worth 2,500 million dollars")
    assert keys("on November 29 in 1993") == []  # dates are not numbers


def test_fold_groups_inflections() -> None:
    assert fold("Zionist's") == fold("Zionist") == fold("zionists")
    assert fold("denied") == fold("denies")
    assert fold("Israel") != fold("Israeli")


def test_negation_and_date_drift_in_a_doctored_copy(comparer: Comparer) -> None:
    original = article("council_budget_a.txt").text
    doctored = (
        original.replace("on Tuesday", "on Wednesday")
        .replace(
            "Opposition councillors voted against", "Opposition councillors did not vote against"
        )
        .replace("must still review", "has already approved")
    )
    result = comparer.compare(original, doctored)
    facts = {(f.type, f.a.text, f.b.text) for f in result.facts}
    assert ("date", "Tuesday", "Wednesday") in facts
    assert any(f.type == "negation" and f.b.text == "not" for f in result.facts)
    assert result.substitutions and not any(s.systematic for s in result.substitutions)

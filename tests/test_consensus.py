"""Who changed the wording: the word-level consensus of six versions of one AFP story, built from
the two real seed articles.

* loaded: seed A as found (a republication with "Israel" → "Zionist entity", "Israeli" →
  "Jewish", and a photo caption added at the top);
* faithful: seed A with those substitutions undone and the caption dropped, our reconstruction of
  the AFP text (the mapping below: each loaded phrase back to AFP's usual wording);
* debris: the faithful text with link-icon debris glued to names, as scrapers leave it;
* spun: seed B as found (a spinner's copy), and two more spins of the faithful text written for
  this test by replacing words with synonyms, as spinners do (two different word lists).
"""

from __future__ import annotations

import re

import pytest

from wiretrace import Comparer, Document
from wiretrace.alignment.consensus import word_consensus
from wiretrace.collate import Collation, Collator

from .conftest import SEED_A, SEED_B

UNDO = [
    ("Zionist's Defence Minister", "Israel's Defence Minister"),
    ("ties with Zionist entity", "ties with Israel"),
    ("first Jewish defence minister", "first Israeli defence minister"),
    ("between the Zionist entity and Morocco", "between Israel and Morocco"),
    ("a Jewish expert", "an Israeli expert"),
    ("Morocco and Zionist previously", "Morocco and Israel previously"),
    ("Zionist's Ratio Petroleum", "Israel's Ratio Petroleum"),
    ("Zionist's defence ministry", "Israel's defence ministry"),
    ("One Jewish product", "One Israeli product"),
    ("The Jewish-Palestinian conflict", "The Israeli-Palestinian conflict"),
    ("normalisation with Zionist entity", "normalisation with Israel"),
    ("the Jews has a lot", "Israel has a lot"),
    ("the Zionist's Reichman University", "Israel's Reichman University"),
    ("the Zionist entity officially opposes", "Israel officially opposes"),
]
SPIN_ONE = {
    "headed": "travelled", "visit": "trip", "officials": "authorities", "embroiled": "mired",
    "standoff": "dispute", "recognised": "acknowledged", "disputed": "contested", "aims": "seeks",
    "controls": "governs", "considers": "regards", "flared": "risen", "cut": "severed",
    "accused": "blamed", "killing": "murdering", "fears": "concerns", "decided": "resolved",
    "possible": "probable", "keen": "eager", "deepening": "strengthening", "broke": "cut",
    "announced": "revealed", "agreement": "deal", "oversees": "supervises", "ranging": "varying",
    "allegedly": "reportedly", "comment": "remark", "continues": "goes on", "abandoned": "dropped",
    "interests": "concerns", "warnings": "cautions", "vowed": "pledged", "aimed": "intended",
}  # fmt: skip
SPIN_TWO = {
    "headed": "went", "visit": "tour", "formalise": "formalize", "say": "state", "trip": "journey",
    "recognised": "accepted", "sovereignty": "authority", "territory": "region", "sign": "ink",
    "foundation": "basis", "truly": "really", "most": "much", "tensions": "strains",
    "backs": "supports", "hostile": "aggressive", "raising": "heightening", "step": "ramp",
    "timing": "moment", "showing": "demonstrating", "rivals": "competitors", "start": "outset",
    "similar": "comparable", "exports": "sales", "already": "previously", "lawsuits": "suits",
    "support": "backing", "gained": "won", "pursue": "chase", "fresh": "new", "foe": "enemy",
}  # fmt: skip


def _spin(text: str, synonyms: dict[str, str]) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group()
        new = synonyms.get(word.casefold())
        if new is None:
            return word
        return new.capitalize() if word[0].isupper() else new

    return re.sub(r"\b[A-Za-z]+\b", swap, text)


def versions() -> list[Document]:
    loaded = SEED_A.read_text(encoding="utf-8")
    faithful = loaded.split("\n\n", 1)[1]  # the photo caption paragraph is the loaded copy's own
    for phrase, original in UNDO:
        assert phrase in faithful, phrase
        faithful = faithful.replace(phrase, original)
    debris = faithful.replace("Morocco ", "Moroccolink ", 4).replace("Gantz,", "Gantzlink,", 2)
    return [
        Document("faithful", faithful),
        Document("debris", debris),
        Document("loaded", loaded),
        Document("spun-seed", SEED_B.read_text(encoding="utf-8")),
        Document("spun-one", _spin(faithful, SPIN_ONE)),
        Document("spun-two", _spin(faithful, SPIN_TWO)),
    ]


@pytest.fixture(scope="module")
def collation(comparer: Comparer) -> Collation:
    return Collator(comparer).collate(versions())


def _systematic(collation: Collation, version: str) -> list[tuple[str, str]]:
    report = next(r for r in collation.reports if r.id == version)
    assert report.comparison is not None
    return [(s.a, s.b) for s in report.comparison.substitutions if s.systematic]


def test_the_loaded_copy_is_never_the_origin(collation: Collation) -> None:
    assert collation.origin in ("faithful", "debris")
    assert "closest to the word-level consensus" in collation.origin_evidence


def test_the_loaded_copy_carries_the_substitution_with_its_direction(
    collation: Collation,
) -> None:
    substitutions = _systematic(collation, "loaded")
    assert any("Israel" in a and "Zionist" in b for a, b in substitutions), substitutions
    report = next(r for r in collation.reports if r.id == "loaded")
    assert report.comparison is not None and report.comparison.reference is not None
    assert report.comparison.reference.side == "a"  # the consensus is A: B departs from it
    assert "substituted" in report.label


@pytest.mark.parametrize("version", ["faithful", "debris", "spun-seed", "spun-one", "spun-two"])
def test_no_faithful_copy_is_said_to_make_it(collation: Collation, version: str) -> None:
    substitutions = _systematic(collation, version)
    assert not any("Zionist" in a + b or "Jewish" in a + b for a, b in substitutions), substitutions


def test_the_debris_copy_is_a_verbatim_copy(collation: Collation) -> None:
    report = next(r for r in collation.reports if r.id == "debris")
    assert report.label == "verbatim copy"
    assert report.words_apart == 0


def test_the_result_does_not_depend_on_the_order_of_the_versions(comparer: Comparer) -> None:
    docs = versions()
    forward = Collator(comparer).collate(docs).to_dict()
    backward = Collator(comparer).collate(list(reversed(docs))).to_dict()
    assert forward == backward


def test_word_consensus_takes_each_word_by_majority() -> None:
    readings = [
        "Israel launched strikes on Gaza on Tuesday, the army said.",
        "The Zionist entity launched strikes on Gaza on Tuesday, the army said.",
        "Israel carried out attacks on Gaza on Tuesday, the military stated.",
        "Israel conducted raids on Gaza on Tuesday, the armed forces said.",
        "Israel launched airstrikes against Gaza on Tuesday, according to the army.",
    ]
    assert (
        word_consensus(readings).text
        == "Israel launched strikes on Gaza on Tuesday, the army said."
    )
    assert word_consensus(readings[:1]).text == readings[0]

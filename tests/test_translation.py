"""Texts in two languages: language detection, translated copies against translated independent
reports, the figures that survive translation, and languages the encoder does not cover.

Real pages: reprints-dev and reprints-more (a Spanish AP edition, a Hindi page reusing AP's
sentences). Translations written for the project: bench/data/translations (an AI assistant
translated real English pages into Spanish, German and French; its README says how). The
Haitian Creole text below was written for this test (an uncovered language).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiretrace import Comparer, Document
from wiretrace.findings.across import figure_keys
from wiretrace.text.language import detect
from wiretrace.text.segment import segment

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "reprints-dev" / "families.jsonl"
MORE = ROOT / "bench" / "data" / "reprints-more" / "families.jsonl"
TRANSLATIONS = ROOT / "bench" / "data" / "translations" / "pairs.jsonl"


@cache
def rows(path: Path) -> tuple[dict[str, str], ...]:
    return tuple(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())


def real(path: Path, site: str) -> Document:
    """The page of ``site`` (or the one page whose URL contains ``site``)."""
    found = [r for r in rows(path) if r["site"] == site] or [
        r for r in rows(path) if site in r["url"]
    ]
    assert len(found) == 1, site
    return Document(site, found[0]["text"])


def translated(text_id: str) -> Document:
    (row,) = [r for r in rows(TRANSLATIONS) if r["id"] == text_id]
    return Document(text_id, row["text"])


@pytest.mark.parametrize(
    ("path", "site", "code"),
    [
        (DEV, "portaltactica.com", "es"),
        (DEV, "binance.com/de/", "de"),
        (DEV, "satyamevajayatenews.com", "hi"),
        (DEV, "sabq.org", "ar"),
        (DEV, "bbc.com", "en"),
        (MORE, "sinembargo.mx", "es"),
    ],
)
def test_the_language_of_real_pages(path: Path, site: str, code: str) -> None:
    assert detect(real(path, site).text).code == code


def test_a_real_spanish_edition_of_an_ap_story_is_a_translated_copy(comparer: Comparer) -> None:
    # sinembargo.mx ran AP's Chandrayaan-3 story in Spanish; theepochtimes carries AP's English.
    english = real(MORE, "theepochtimes.com")
    spanish = real(MORE, "sinembargo.mx")
    result = comparer.compare(english, spanish)
    payload = result.to_dict()
    assert payload["verdict"]["derived"] is True
    assert payload["verdict"]["relation"] == "translated_copy"
    assert (payload["a"]["language"], payload["b"]["language"]) == ("en", "es")
    assert "English" in payload["verdict"]["note"] and "Spanish" in payload["verdict"]["note"]
    linked = [s for s in result.segments if s.kind == "translation"]
    assert len(linked) >= 3
    for s in linked:  # offsets index the original texts
        assert s.a is not None and s.b is not None
        assert english.text[s.a.start : s.a.end] == s.a.text
        assert spanish.text[s.b.start : s.b.end] == s.b.text
    # The lead is linked to the lead, whatever the language.
    assert any("south pole" in s.a.text and "polo sur" in s.b.text for s in linked if s.a and s.b)


def test_before_translation_was_handled_the_same_pair_was_unrelated() -> None:
    # What the words alone say (the complaint): no passage in common.
    lexical = Comparer(lexical=True)
    english = real(MORE, "theepochtimes.com")
    spanish = real(MORE, "sinembargo.mx")
    segments = lexical.aligner().align(
        english.text, segment(english.text), spanish.text, segment(spanish.text)
    )
    assert not any(s.aligned and s.kind == "verbatim" for s in segments)


@pytest.mark.parametrize("language", ["es", "de", "fr"])
def test_a_translation_of_an_independent_report_is_not_derived(
    comparer: Comparer, language: str
) -> None:
    # AFP's Chandrayaan-3 story (thenews.com.pk) and a translation of cnbctv18's own report of
    # the same landing: they share Modi's quotation, translated alike, and nothing else.
    original = translated("afp-chandrayaan3-original-en")
    independent = translated(f"afp-chandrayaan3-independent-{language}")
    result = comparer.compare(original, independent)
    assert result.verdict.derived is False
    assert result.verdict.relation in ("same_event", "unrelated")
    # And its own original is one.
    copy = translated(f"afp-chandrayaan3-original-{language}")
    assert comparer.compare(original, copy).verdict.relation == "translated_copy"


def test_localised_figures_are_not_changes_and_a_changed_figure_is(comparer: Comparer) -> None:
    # The Spanish translation writes 7,8 for 7.8 and 24-hour times; nothing changed.
    english = translated("ap-turkey-quake-original-en")
    spanish = translated("ap-turkey-quake-original-es")
    assert comparer.compare(english, spanish).facts == ()
    # Change the death toll in the Spanish text (a variant made for this test).
    assert "207" in spanish.text
    altered = Document("altered", spanish.text.replace("207", "270", 1))
    facts = comparer.compare(english, altered).facts
    assert [(f.a.text, f.b.text) for f in facts] == [("207", "270")]


HAITIAN = (
    "Yon gwo tranblemanntè te frape sid peyi Latiki ak nò peyi Siri byen bonè lendi maten, li te "
    "fè anpil bilding tonbe. Omwen 207 moun mouri e plizyè santèn lòt blese, e otorite yo di "
    "kantite moun ki mouri yo ka monte. Sekouris yo ap chèche moun ki bloke anba dekonb yo nan "
    "plizyè vil."
)


def test_a_language_the_encoder_does_not_cover_is_said_and_never_certain(
    comparer: Comparer,
) -> None:
    english = translated("ap-turkey-quake-original-en")
    result = comparer.compare(english, Document("ht", HAITIAN))
    verdict = result.verdict
    assert result.language_b.code == "ht"
    assert "Haitian creole" in verdict.note and "not among the languages" in verdict.note
    assert verdict.confidence <= 0.5
    assert not any(s.kind == "translation" for s in result.segments)


def test_same_language_pairs_keep_the_word_path(comparer: Comparer) -> None:
    english = real(MORE, "theepochtimes.com")
    other = real(MORE, "belgrade-news.com")  # the same AP story, in English
    result = comparer.compare(english, other)
    assert result.language_a.code == result.language_b.code == "en"
    assert not any(s.kind == "translation" for s in result.segments)
    assert result.verdict.derived is True


def test_hindi_sentences_are_split_at_the_danda() -> None:
    text = real(DEV, "satyamevajayatenews.com").text
    units = segment(text)
    assert all(text[u.start : u.end] == u.text for u in units)
    dandas = [u for u in units if "।" in u.text.rstrip("।”\"' ")]
    assert not dandas, [u.text[:60] for u in dandas]


@given(
    st.integers(min_value=1_000, max_value=999_999_999),
    st.sampled_from([",", ".", " ", "\u00a0"]),
)
def test_a_figure_is_the_same_however_its_thousands_are_grouped(value: int, separator: str) -> None:
    plain = str(value)
    grouped = re.sub(r"(?<=\d)(?=(\d{3})+$)", separator, plain)
    assert figure_keys(plain) & figure_keys(grouped)


CHANDRAYAAN = ("theepochtimes.com", "belgrade-news.com", "sinembargo.mx")


def chandrayaan_corpus() -> list[Document]:
    """AP's Chandrayaan-3 story in English (two outlets) and in Spanish (sinembargo.mx), among
    reports of other stories (reprints-more)."""
    others = [
        r for r in rows(MORE) if not r["family"].startswith("ap-2023-08-23") and r["role"] == "copy"
    ][:8]
    return [real(MORE, s) for s in CHANDRAYAAN] + [
        Document(f"{r['site']}-{k}", r["text"]) for k, r in enumerate(others)
    ]


def test_a_scan_puts_a_translated_copy_in_its_family(comparer: Comparer) -> None:
    # The Spanish edition joins the English copies' family.
    from wiretrace.engines.local import scan

    result = scan(chandrayaan_corpus(), comparer=comparer)
    assert result.stages is not None and result.stages.languages >= 1
    (family,) = [f for f in result.families if "sinembargo.mx" in f.members]
    assert set(CHANDRAYAAN) <= set(family.members)
    payload = family.to_dict()
    assert payload["languages"]["sinembargo.mx"] == "es"
    assert payload["languages"]["theepochtimes.com"] == "en"


def test_an_index_finds_a_translated_copy_as_one_scan_does(
    tmp_path: Path, comparer: Comparer
) -> None:
    # Added in three batches, the Spanish edition before its English sources (so the pair is
    # found from the English side, as the scan finds it from the Spanish one), the index's
    # families are the scan's; a query with the Spanish edition finds both English copies.
    from wiretrace.engines.local import scan
    from wiretrace.store.index import Index

    documents = chandrayaan_corpus()
    whole = scan(documents, comparer=comparer).to_dict()["families"]
    with Index.open(tmp_path / "idx", create=True) as index:
        for batch in (documents[3:], documents[2:3], documents[:2]):
            index.add(batch)
        assert index.families().to_dict()["families"] == whole
    with Index.open(tmp_path / "without", create=True) as index:
        index.add([d for d in documents if d.id != "sinembargo.mx"])
        matches = index.query(real(MORE, "sinembargo.mx")).matches
    assert {m.id for m in matches} == {"theepochtimes.com", "belgrade-news.com"}
    assert {m.relation for m in matches} == {"translated_copy"}


def test_an_index_counts_its_languages_again_once_a_document_is_added(
    tmp_path: Path, comparer: Comparer
) -> None:
    # A long-lived index (as `serve` holds one) keeps its documents counted by language between
    # queries; an add, by another process or by itself, must be seen by the next query (the
    # English copy's query finds the Spanish edition only once two languages are stored).
    from wiretrace.store.index import Index

    documents = chandrayaan_corpus()
    spanish = [d for d in documents if d.id == "sinembargo.mx"]
    english = [d for d in documents if d.id in CHANDRAYAAN and d not in spanish]
    others = [d for d in documents if d not in spanish and d not in english]
    with Index.open(tmp_path / "idx", create=True) as index:
        index.add(english[1:] + others)
    with Index.open(tmp_path / "idx") as reader:
        before = {m.id for m in reader.query(english[0]).matches}
        with Index.open(tmp_path / "idx") as writer:
            writer.add(spanish)
        after = {m.id for m in reader.query(english[0]).matches}
    with Index.open(tmp_path / "own", create=True) as index:
        index.add(english[1:] + others)
        own_before = {m.id for m in index.query(english[0]).matches}
        index.add(spanish)
        own_after = {m.id for m in index.query(english[0]).matches}
    assert "sinembargo.mx" not in before | own_before
    assert "sinembargo.mx" in after & own_after


def test_an_index_keeps_each_documents_language_and_reads_older_indexes_too(
    tmp_path: Path,
) -> None:
    # Each page's language is stored when it is added, and the family's languages are read from
    # there. An index written before languages and anchors were kept (no rows, no meta key)
    # detects languages again from the stored texts, and gets its anchors at its next add: the
    # Spanish edition added then still finds its English sources.
    import sqlite3

    from wiretrace.store.index import Index

    english = [real(MORE, s) for s in CHANDRAYAAN[:2]]
    with Index.open(tmp_path / "idx", create=True) as index:
        index.add(english)
        stored = dict(
            index.db.execute(
                "SELECT d.id, l.code FROM languages l JOIN documents d ON d.rowid = l.doc"
            )
        )
        (family,) = index.families().families
    assert stored == {"theepochtimes.com": "en", "belgrade-news.com": "en"}
    assert family.languages == {"theepochtimes.com": "en", "belgrade-news.com": "en"}
    with sqlite3.connect(tmp_path / "idx" / "wiretrace.sqlite") as db:
        db.execute("DELETE FROM languages")
        db.execute("DELETE FROM anchors")
        db.execute("DELETE FROM meta WHERE key = 'anchors_kept'")
    with Index.open(tmp_path / "idx") as index:
        (again,) = index.families().families
        assert again.languages == family.languages
        index.add([real(MORE, "sinembargo.mx")])
        (joined,) = index.families().families
    assert joined.languages == {**family.languages, "sinembargo.mx": "es"}


@pytest.mark.parametrize(
    ("english", "hindi"), [("Shamkhani", "शामखानी"), ("Wang", "वांग"), ("Musaad", "मुसाद")]
)
def test_a_name_in_devanagari_and_in_latin_letters_has_one_skeleton(
    english: str, hindi: str
) -> None:
    # As the two real pages write them: AP's Iran-Saudi story (connectgujarat.com) and a Hindi
    # page translating part of it (satyamevajayatenews.com).
    from wiretrace.text.skeleton import devanagari_skeleton, latin_skeleton

    assert english in real(DEV, "connectgujarat.com").text
    assert hindi in real(DEV, "satyamevajayatenews.com").text
    assert latin_skeleton(english) == devanagari_skeleton(hindi)
    assert latin_skeleton(english.upper()) == latin_skeleton(english)


def test_a_scan_finds_a_hindi_copy_by_the_skeletons_of_its_names(comparer: Comparer) -> None:
    # The 20 reprints-dev pages on Iran and Saudi Arabia (four stories, all naming the same
    # countries and officials) and the Hindi page: its names share no letter with their English
    # spelling, and it joins its own story's English copy, no other.
    from wiretrace.engines.local import scan

    wanted = ("ap-2023-03-10", "ap-2023-04-06", "afp-2023-04-06", "aljazeera-2023-04-06")
    documents = [
        Document(r["site"], r["text"]) for r in rows(DEV) if r["family"].startswith(wanted)
    ]
    assert len(documents) == 20
    result = scan(documents, comparer=comparer)
    (family,) = [f for f in result.families if "satyamevajayatenews.com" in f.members]
    assert set(family.members) == {"satyamevajayatenews.com", "connectgujarat.com"}
    assert family.to_dict()["languages"]["satyamevajayatenews.com"] == "hi"


def test_collate_builds_the_consensus_in_the_main_language_and_aligns_the_others() -> None:
    # AP's Chandrayaan-3 story as four English outlets ran it and as sinembargo.mx ran it in
    # Spanish (reprints-more): the consensus is English; the Spanish edition is placed by meaning.
    import random

    from wiretrace.collate import Collator

    family = [
        r for r in rows(MORE) if r["family"].startswith("ap-2023-08-23") and r["role"] == "copy"
    ]
    assert [r["site"] for r in family][-1] == "sinembargo.mx" and len(family) == 5
    documents = [Document(r["site"], r["text"]) for r in family]
    collator = Collator(Comparer())
    collation = collator.collate(documents)
    assert collation.origin is not None and collation.origin != "sinembargo.mx"
    (spanish,) = [r for r in collation.reports if r.id == "sinembargo.mx"]
    assert spanish.label.endswith("(Spanish)")
    assert "sinembargo.mx" in collation.origin_evidence
    # The consensus is English words only.
    assert detect(collation.consensus).code == "en"
    # Its readings are Spanish text at the right offsets.
    spanish_text = documents[-1].text
    for unit in collation.units:
        reading = unit.readings["sinembargo.mx"]
        if reading is not None:
            assert spanish_text[reading.span.start : reading.span.end] == reading.span.text
    shuffled = documents[:]
    random.Random(3).shuffle(shuffled)
    again = collator.collate(shuffled)
    assert again.to_dict() == collation.to_dict()


def test_one_version_per_language_names_no_origin() -> None:
    from wiretrace.collate import Collator

    versions = [translated(f"ap-turkey-quake-original-{code}") for code in ("en", "es", "de")]
    collation = Collator(Comparer()).collate(versions)
    assert collation.origin is None
    # One language is the consensus's (a tie: the first code alphabetically, German); the other
    # two versions are translated copies of it.
    labels = sorted(r.label for r in collation.reports)
    assert sum(label.startswith("translated copy") for label in labels) == 2, labels

"""scan: candidates stage by stage, verification, families (merges included), order independence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiretrace import Comparer, Document, read_document
from wiretrace.engines.local import scan
from wiretrace.errors import InputError
from wiretrace.scan.candidates import CandidateConfig, exact_pairs, minhash_pairs
from wiretrace.scan.families import Edge, build_families
from wiretrace.scan.stages import AUTO_WORKERS, ScanConfig, ScanResult, prepare
from wiretrace.text.segment import segment

from .conftest import DATA, SEED_A, SEED_B, article, real_corpus


def corpus() -> list[Document]:
    docs = [read_document(SEED_A), read_document(SEED_B)]
    docs += [
        article(name)
        for name in (
            "gantz_rabat_other_agency.txt",
            "harbour_flood.txt",
            "council_budget_a.txt",
            "council_budget_b.txt",
            "strike_original.txt",
            "strike_loaded_copy.txt",
            "strike_faithful_copy.txt",
        )
    ]
    merged = article("strike_original.txt").text + "\n" + article("council_budget_a.txt").text
    return [*docs, Document("merged", merged)]


@pytest.fixture(scope="module")
def result(comparer: Comparer) -> ScanResult:
    return scan(corpus(), comparer=comparer)


def _families(result: ScanResult) -> list[list[str]]:
    return sorted(f.members for f in result.families)


def test_families(result: ScanResult) -> None:
    assert _families(result) == [
        ["000_a59e668317105786", "001_53f5005e8be909a9"],
        ["council_budget_a", "council_budget_b", "merged"],
        ["merged", "strike_faithful_copy", "strike_loaded_copy", "strike_original"],
    ]
    assert result.documents == 10


def test_merged_article_joins_both_families_without_joining_them(result: ScanResult) -> None:
    with_merge = [f for f in result.families if "merged" in f.members]
    assert len(with_merge) == 2 and all(f.merges == ["merged"] for f in with_merge)


def test_same_event_report_and_unrelated_story_stay_alone(result: ScanResult) -> None:
    members = {m for f in result.families for m in f.members}
    assert "gantz_rabat_other_agency" not in members and "harbour_flood" not in members


def test_origin_of_the_strike_family(result: ScanResult) -> None:
    family = next(f for f in result.families if "strike_original" in f.members)
    assert family.origin == "strike_original"


def test_only_the_semantic_stage_finds_the_spun_copy(comparer: Comparer) -> None:
    docs = [read_document(SEED_A), read_document(SEED_B)]
    config = ScanConfig()
    prepared = prepare(docs, config)
    assert not exact_pairs({p.doc.id: p.hashes for p in prepared}, config.candidates)
    assert not minhash_pairs({p.doc.id: p.bands for p in prepared}, config.candidates)
    assert _families(scan(docs, comparer=comparer)) == [[d.id for d in docs]]
    assert scan(docs, ScanConfig(lexical=True)).families == []


def test_lexical_only_scan_keeps_the_copies_that_share_words_and_loads_no_model() -> None:
    config = ScanConfig(lexical=True)
    comparer = config.comparer()
    lexical = scan(corpus(), config, comparer)
    assert _families(lexical) == [
        ["council_budget_a", "council_budget_b", "merged"],
        ["merged", "strike_faithful_copy", "strike_loaded_copy", "strike_original"],
    ]
    assert next(f for f in lexical.families if "strike_original" in f.members).origin
    assert comparer._encoder is None  # verification and origins on words alone


def test_crowded_sentences_link_to_hubs_only() -> None:
    config = CandidateConfig(boilerplate_docs=3, hub_docs=2)
    hashes = {f"d{i}": {42} for i in range(6)}  # one sentence shared by six documents
    pairs = exact_pairs(hashes, config)
    assert pairs == {("d0", "d1")} | {(hub, f"d{i}") for hub in ("d0", "d1") for i in range(2, 6)}
    small = {k: v for k, v in list(hashes.items())[:3]}
    assert exact_pairs(small, config) == {("d0", "d1"), ("d0", "d2"), ("d1", "d2")}


def test_family_ids_are_stable_and_json_follows_the_contract(
    result: ScanResult, comparer: Comparer
) -> None:
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["schema"] == "wiretrace.families/1" and payload["documents"] == 10
    for family in payload["families"]:
        assert {"id", "members", "origin", "edges"} <= set(family)
        assert len(family["members"]) >= 2
        for edge in family["edges"]:
            assert set(edge) == {"a", "b", "relation", "shared_a", "shared_b"}
    again = scan(corpus(), comparer=comparer)
    assert [f.id for f in again.families] == [f.id for f in result.families]


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.permutations(range(10)))
def test_families_do_not_depend_on_input_order(
    comparer: Comparer, result: ScanResult, order: list[int]
) -> None:
    docs = corpus()
    shuffled = scan([docs[i] for i in order], comparer=comparer)
    assert shuffled.to_dict() == result.to_dict()


def test_duplicate_ids_are_refused(comparer: Comparer) -> None:
    docs = corpus()
    with pytest.raises(InputError, match="duplicate id"):
        scan([*docs, docs[0]], comparer=comparer)


def test_merge_detection_on_a_hand_made_graph() -> None:
    # m carries units 0-4 from a's story and units 5-9 from c's story.
    edges = [
        Edge("a", "b", "verbatim_copy", 1.0, 1.0, frozenset(range(5)), frozenset(range(5))),
        Edge("a", "m", "verbatim_copy", 1.0, 0.5, frozenset(range(5)), frozenset(range(5))),
        Edge("c", "m", "verbatim_copy", 1.0, 0.5, frozenset(range(5)), frozenset(range(5, 10))),
        Edge("c", "d", "edited_copy", 0.9, 0.9, frozenset(range(5)), frozenset(range(5))),
    ]
    families = build_families(edges)
    assert sorted(f.members for f in families) == [["a", "b", "m"], ["c", "d", "m"]]
    plain = build_families([Edge(e.a, e.b, e.relation, e.shared_a, e.shared_b) for e in edges[:2]])
    assert [f.members for f in plain] == [["a", "b", "m"]]


def test_cli_scan_jsonl_with_outlets(tmp_path: Path) -> None:
    docs = corpus()
    outlets = [
        "Outlet A",
        "Outlet B",
        "Reuters",
        "Local",
        "City",
        "City",
        "AFP",
        "Loaded News",
        "Copy Co",
        "Mix",
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": d.id, "text": d.text, "outlet": o})
            for d, o in zip(docs, outlets, strict=True)
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", "scan", str(path), "--outlets", "-f", "json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    loaded = next(o for o in payload["outlets"] if o["outlet"] == "Loaded News")
    assert loaded["copies"] == 1 and loaded["sources"] == {"AFP": 1}
    assert any("Kiev" in s["b"] for s in loaded["substitutions"])
    text = subprocess.run(
        [sys.executable, "-m", "wiretrace", "scan", str(path), "--outlets"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "reprint families" in text.stdout and "Outlets" in text.stdout


def test_parallel_verification_gives_the_same_families(
    monkeypatch: pytest.MonkeyPatch, result: ScanResult
) -> None:
    import wiretrace.engines.workers as workers_module

    monkeypatch.setattr(workers_module, "PARALLEL_FROM", 1)
    parallel = scan(corpus(), ScanConfig(workers=2))
    assert parallel.to_dict() == result.to_dict()


def test_a_lexical_scan_in_worker_processes_gives_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import wiretrace.engines.workers as workers_module

    monkeypatch.setattr(workers_module, "PARALLEL_FROM", 1)
    one = scan(corpus(), ScanConfig(lexical=True, workers=1))
    two = scan(corpus(), ScanConfig(lexical=True, workers=2))
    assert two.to_dict() == one.to_dict()
    assert any(len(f.members) > 2 for f in one.families)  # so a collation ran in a worker


def test_the_command_line_scans_in_worker_processes_with_the_same_result(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in real_corpus(420)),
        encoding="utf-8",
    )
    scan_it = [sys.executable, "-m", "wiretrace", "scan", str(corpus)]
    payloads = []
    for workers in ("1", "2"):
        done = subprocess.run(
            [*scan_it, "--lexical-only", "--workers", workers, "-f", "json"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        payloads.append(json.loads(done.stdout))
    assert payloads[0] == payloads[1] and len(payloads[0]["families"]) > 30
    spark = subprocess.run(
        [*scan_it, "--workers", "2", "--engine", "spark"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert spark.returncode == 2 and "--partitions" in spark.stderr


def test_processes_default_to_the_cores_only_without_the_model() -> None:
    assert ScanConfig().processes == 1
    assert ScanConfig(lexical=True).processes == min(os.cpu_count() or 1, AUTO_WORKERS)
    assert ScanConfig(lexical=True, workers=1).processes == 1
    with pytest.raises(ValueError, match="1 or more"):
        ScanConfig(workers=0)


MORE = Path(__file__).resolve().parents[1] / "bench" / "data" / "reprints-more" / "families.jsonl"
FOOTER = (
    "The Valley Courier is an independent newspaper founded in 1921 and owned by its readers.\n"
    "Our newsroom is funded by readers like you across the whole region."
)


def test_a_site_footer_in_unrelated_articles_is_boilerplate_not_a_family() -> None:
    """Six real reports of six different stories (independent pages of reprints-more), all
    under one site footer that no boilerplate pattern knows, beside five copies of one real page:
    the footer is the corpus's boilerplate, the copies' sentences are not, and only the copies
    form a family."""
    from wiretrace.scan.stages import corpus_boilerplate, without_recurring

    rows = [json.loads(line) for line in MORE.read_text(encoding="utf-8").splitlines()]
    seen: set[str] = set()
    unrelated = []
    for row in rows:
        if row["role"] == "same_event_independent" and row["family"] not in seen:
            seen.add(row["family"])
            unrelated.append(Document(f"site-{len(unrelated)}", f"{row['text']}\n{FOOTER}"))
        if len(unrelated) == 6:
            break
    source = next(r for r in rows if r["role"] == "copy" and r["kind"] == "verbatim")
    copies = [Document(f"copy-{k}", source["text"]) for k in range(5)]
    documents = unrelated + copies
    config = ScanConfig(lexical=True)
    prepared = prepare(documents, config)
    recurring = corpus_boilerplate(prepared, config)
    footer_units = without_recurring(prepared[0].units, recurring)[-2:]
    assert [u.role for u in footer_units] == ["boilerplate", "boilerplate"]
    assert all(u.role != "boilerplate" for u in without_recurring(prepared[-1].units, recurring))
    result = scan(documents, config)
    assert [sorted(f.members) for f in result.families] == [[f"copy-{k}" for k in range(5)]]


def test_one_vocabulary_of_copy_labels_across_commands(comparer: Comparer) -> None:
    """A trimmed copy is a "trimmed copy" whether scan, collate or compare says it."""
    from wiretrace.collate import Collator
    from wiretrace.report.families import relation_to_origin
    from wiretrace.report.summary import relation_label

    docs = [
        article(n)
        for n in ("strike_original.txt", "strike_faithful_copy.txt", "strike_loaded_copy.txt")
    ]
    family = next(f for f in scan(docs, comparer=comparer).families)
    assert family.origin == "strike_original"
    scanned = relation_to_origin(family, "strike_faithful_copy")
    collated = next(
        r.label for r in Collator(comparer).collate(docs).reports if r.id == "strike_faithful_copy"
    )
    pair = comparer.compare(docs[0], docs[1])
    compared = relation_label(pair.verdict.relation, pair.verdict.shared_a)
    assert scanned.startswith("trimmed copy") and collated == "trimmed copy"
    assert compared == "trimmed copy"


def reused_block_corpus() -> list[Document]:
    """Real pages (reprints-more): AP's Chandrayaan-3 story from two outlets and AP's Trump
    verdict from two outlets; the last sentences of the Chandrayaan story are added, as
    background, to both Trump pages (this corpus's edit, as follow-up stories reuse their earlier
    story's background paragraphs)."""
    pages = {r["site"]: r["text"] for r in _more_rows() if r["role"] == "copy"}
    moon_a, moon_b = pages["theepochtimes.com"], pages["belgrade-news.com"]
    # Its sentences from the lander touching down on: the story's own text, not the captions.
    sentences = [u.text for u in segment(moon_a) if u.role == "sentence"]
    block = " ".join(sentences[sentences.index(next(t for t in sentences if "lander" in t)) :])
    return [
        Document("moon-a", moon_a),
        Document("moon-b", moon_b),
        Document("trump-a", pages["thecourier.co.uk"] + "\n\n" + block),
        Document("trump-b", pages["upday.com"] + "\n\n" + block),
    ]


def test_a_reused_block_joins_no_two_families(comparer: Comparer) -> None:
    """The block makes a partial copy, but the two stories stay two families."""
    documents = reused_block_corpus()
    assert comparer.compare(documents[0], documents[2]).verdict.relation == "partial_copy"
    families = sorted(sorted(f.members) for f in scan(documents, comparer=comparer).families)
    assert families == [["moon-a", "moon-b"], ["trump-a", "trump-b"]]


def _more_rows() -> list[dict[str, str]]:
    more = (
        Path(__file__).resolve().parents[1] / "bench" / "data" / "reprints-more" / "families.jsonl"
    )
    rows = [json.loads(line) for line in more.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["family"].startswith(("ap-2023-08-23", "ap-2024-05-30-trump"))]


def test_partial_copies_join_documents_to_families_but_never_families_together() -> None:
    def edge(a: str, b: str, relation: str = "verbatim_copy") -> Edge:
        return Edge(a, b, relation, 1.0, 1.0)

    edges = [
        edge("a1", "a2"),  # family A
        edge("b1", "b2"),  # family B
        edge("a1", "b1", "partial_copy"),  # A and B share a block: links nothing
        edge("x", "a2", "partial_copy"),  # x has no closer copy: joins A
        edge("y", "a1", "partial_copy"),  # y shares blocks with A and with B:
        edge("y", "b2", "partial_copy"),  # it is in both, a merge, linking neither
        edge("p", "q", "partial_copy"),  # two pages sharing only a block: a family
    ]
    families = {tuple(f.members): f.merges for f in build_families(edges)}
    assert families == {
        ("a1", "a2", "x", "y"): ["y"],
        ("b1", "b2", "y"): ["y"],
        ("p", "q"): [],
    }


def _dev_page(site: str, family_prefix: str) -> str:
    for line in (DATA / "reprints-dev" / "families.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["site"] == site and row["family"].startswith(family_prefix):
            return str(row["text"])
    raise LookupError(site)


def test_two_similar_sentences_in_long_unrelated_reports_are_no_candidate() -> None:
    """Copying leaves near neighbours across a document. Two real pages of unrelated stories
    (whatsnew2day's Bankman-Fried trial, 25 searched sentences; riverfronttimes' Tina Turner
    obituary, 21) each get one side of two real MRPC paraphrase pairs: two near-neighbour
    sentences, under one in ten of the shorter page. The semantic stage proposes them only
    without its share rule."""
    from wiretrace.models.static import default_static_encoder
    from wiretrace.scan.candidates import semantic_pairs

    paraphrases = {
        json.loads(line)["id"]: json.loads(line)
        for line in (DATA / "mrpc-train.jsonl").read_text(encoding="utf-8").splitlines()
    }
    pairs = [paraphrases["train-2193346-2193362"], paraphrases["train-1243593-1243934"]]
    trial = _dev_page("whatsnew2day.com", "verge-2023-11-02-sbf")
    obituary = _dev_page("riverfronttimes.com", "skynews-2023-05-24-tina-turner")
    docs = [
        Document("trial", "\n\n".join([trial, *(p["text_a"] for p in pairs)])),
        Document("obituary", "\n\n".join([obituary, *(p["text_b"] for p in pairs)])),
    ]
    config = ScanConfig()
    sentences = {p.doc.id: p.sentences for p in prepare(docs, config)}
    assert min(len(s) for s in sentences.values()) >= 21
    encoder = default_static_encoder()
    without_share = replace(config.candidates, semantic_min_share=0.0)
    assert semantic_pairs(sentences, encoder, without_share) == {("obituary", "trial")}
    assert semantic_pairs(sentences, encoder, config.candidates) == set()


def test_signatures_hashed_in_blocks_equal_each_text_alone() -> None:
    """MinHash signatures are hashed a block of texts at a time (memory): each text's is its own
    whatever its block (2,100 real MRPC sentences: three blocks)."""
    from wiretrace.scan.candidates import SIGNATURE_BLOCK, signatures

    lines = (DATA / "mrpc-train.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text_a"] for line in lines[:2100]]
    assert len(texts) > 2 * SIGNATURE_BLOCK
    config = CandidateConfig()
    together = signatures(texts, config)
    assert together == [signatures([t], config)[0] for t in texts]
    assert len({tuple(s) for s in together}) > 2000  # signatures tell texts apart

"""collate: consensus, deviations, origin and derivation on versions made from the seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiretrace import Comparer, Document
from wiretrace.collate import Collation, Collator
from wiretrace.errors import InputError

from .conftest import SEED_A, SEED_B


def _versions(seed_b: Document) -> list[Document]:
    paragraphs = seed_b.text.split("\n")
    loaded = seed_b.text.replace("Israel’s", "the Zionist entity’s").replace(
        "Israel ", "the Zionist entity "
    )
    loaded = loaded.replace("Israel,", "the Zionist entity,").replace(
        "Israel.", "the Zionist entity."
    )
    return [
        Document("source", seed_b.text, date="2021-11-23"),
        Document("verbatim", seed_b.text, date="2021-11-24"),
        Document("trimmed", "\n".join(paragraphs[:16])),
        Document(
            "local",
            seed_b.text
            + "\nThe visit was covered live by our correspondent in Rabat, who said crowds were small.",
        ),
        Document("loaded_1", loaded),
        Document("loaded_2", "\n".join(loaded.split("\n")[:20])),
    ]


@pytest.fixture(scope="module")
def collator(comparer: Comparer) -> Collator:
    return Collator(comparer)


@pytest.fixture(scope="module")
def collation(collator: Collator, seed_b: Document) -> Collation:
    return collator.collate(_versions(seed_b))


def test_origin_is_the_undeviating_earliest_version(collation: Collation) -> None:
    assert collation.origin == "source"  # "verbatim" is identical but dated later
    assert "source" in collation.origin_evidence and "2021-11-23" in collation.origin_evidence


def test_labels(collation: Collation) -> None:
    labels = {r.id: r.label for r in collation.reports}
    assert labels["verbatim"] == "verbatim copy"
    assert labels["trimmed"] == "trimmed copy"
    assert labels["local"] == "verbatim copy, with additions"
    assert "substituted" in labels["loaded_1"] and "substituted" in labels["loaded_2"]
    shared = {r.id: r.shared for r in collation.reports}
    assert shared["source"] == 1.0 and shared["trimmed"] < 0.7


def test_consensus_and_support(collation: Collation, seed_b: Document) -> None:
    assert collation.consensus.splitlines()[1] == seed_b.text.split("\n")[0].split("– ", 1)[1]
    assert all(collation.units[k].support * 2 > 6 for k in collation.consensus_units)
    local_only = [u for u in collation.units if u.support == 1]
    assert len(local_only) == 1 and local_only[0].readings["local"] is not None
    for unit in collation.units:  # every reading is a real span of its version
        for version, reading in unit.readings.items():
            if reading is not None:
                text = next(d.text for d in collation.documents if d.id == version)
                assert text[reading.span.start : reading.span.end] == reading.span.text


def test_substituted_copies_share_their_deviations(collation: Collation) -> None:
    parents = {d["id"]: d for d in collation.derivation}
    assert (
        parents["loaded_2"]["parent"] == "loaded_1"
        and parents["loaded_2"]["shared_deviations"] >= 2
    )
    assert parents["verbatim"]["parent"] == "source"
    deviations = next(r for r in collation.reports if r.id == "loaded_1").deviations
    subs = [d for d in deviations if d["type"] == "substitution" and d["systematic"]]
    assert subs and "Zionist entity" in subs[0]["b"]


def test_json_contract(collation: Collation) -> None:
    payload = json.loads(json.dumps(collation.to_dict()))
    assert payload["schema"] == "wiretrace.collate/1"
    assert {"versions", "consensus", "origin", "origin_evidence", "units"} <= set(payload)
    assert {"id", "shared", "deviations"} <= set(payload["versions"][0])
    assert {"readings", "kind"} <= set(payload["units"][0])
    assert {u["kind"] for u in payload["units"]} <= {"identical", "variant", "unique"}
    for deviation in payload["versions"][0]["deviations"]:
        if deviation.get("consensus"):
            span = deviation["consensus"]
            assert payload["consensus"][span["start"] : span["end"]] == span["text"]


def test_two_versions_name_no_origin(
    collator: Collator, seed_a: Document, seed_b: Document
) -> None:
    result = collator.collate([seed_a, seed_b])
    assert result.origin is None and "Two versions" in result.origin_evidence
    assert len(result.consensus_units) >= 25


def test_needs_two_distinct_versions(collator: Collator, seed_a: Document) -> None:
    with pytest.raises(InputError, match="at least two"):
        collator.collate([seed_a])
    with pytest.raises(InputError, match="duplicate"):
        collator.collate([seed_a, seed_a])


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.permutations(range(5)))
def test_result_does_not_depend_on_input_order(
    collator: Collator, seed_b: Document, order: list[int]
) -> None:
    versions = _versions(seed_b)[1:]
    expected = collator.collate(versions).to_dict()
    assert collator.collate([versions[i] for i in order]).to_dict() == expected


def test_cli_collate_folder_and_jsonl(tmp_path: Path, seed_b: Document) -> None:
    folder = tmp_path / "versions"
    folder.mkdir()
    for doc in _versions(seed_b)[:4]:
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", "collate", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Likely origin:" in done.stdout and "Variant table" in done.stdout

    jsonl = tmp_path / "story.jsonl"
    jsonl.write_text(
        "\n".join(
            json.dumps({"id": d.id, "text": d.text, "date": d.date}) for d in _versions(seed_b)[:3]
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", "collate", str(jsonl), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["origin"] == "source"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"id": "a", "text": "One."}', '{"id": "a", "text": "Two."}'], "duplicate id 'a'"),
        (['{"id": "a", "text": "One."}', "{broken"], "line 2, column 2: not valid JSON"),
        (['{"id": "a"}'], 'line 1: "text" must be a non-empty string'),
        (['{"id": 7.5, "text": "x"}'], 'line 1: "id" must be a non-empty string'),
    ],
)
def test_cli_collate_bad_jsonl(tmp_path: Path, lines: list[str], message: str) -> None:
    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_text("\n".join(lines), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", "collate", str(jsonl), str(SEED_A), str(SEED_B)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr

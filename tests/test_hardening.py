"""Bad, huge and strange input: one clear line and exit code 2, or a result; never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from wiretrace import Comparer, Document
from wiretrace.engines.local import scan
from wiretrace.errors import InputError
from wiretrace.scan.candidates import CandidateConfig
from wiretrace.scan.stages import ScanConfig
from wiretrace.text.documents import document_from_bytes

from .conftest import article


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_reader_fuzz_gives_a_document_or_a_clear_error(data: bytes) -> None:
    try:
        doc = document_from_bytes(data, doc_id="x", name="x.txt", notice=lambda _: None)
    except InputError as error:
        assert str(error).startswith("x.txt")
    else:
        assert doc.text.strip()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=300))
def test_compare_survives_any_unicode(comparer: Comparer, a: str, b: str) -> None:
    assume(a.strip() and b.strip())  # blank texts are refused before comparing
    result = comparer.compare(a, b)
    for segment in result.segments:
        if segment.a:
            assert a[segment.a.start : segment.a.end] == segment.a.text
        if segment.b:
            assert b[segment.b.start : segment.b.end] == segment.b.text


@pytest.mark.parametrize("seed", range(4))
def test_cli_on_random_bytes_never_traces_back(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))))
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", "compare", str(path), str(path), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode == 2:
        assert len(done.stderr.strip().splitlines()) == 1


def test_scripts_the_segmenter_does_not_know(comparer: Comparer) -> None:
    chinese = "北京市政府周二宣布，将在明年投入三十亿元改善公共交通。官员表示，新线路将于九月开通。"
    arabic = "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة للنقل العام. وقال المسؤولون إن الخطوط الجديدة ستفتح في سبتمبر."
    for text in (chinese, arabic):
        result = comparer.compare(text, text)
        assert result.verdict.relation == "identical"


def test_one_endless_sentence(comparer: Comparer) -> None:
    text = " ".join(
        f"word{k % 97}" for k in range(15_000)
    )  # about 100,000 characters, no full stop
    result = comparer.compare(text, text + " and one more")
    assert result.verdict.derived and result.units_a > 50


def test_a_comparison_too_large_is_refused_with_the_limit(comparer: Comparer) -> None:
    text = "\n".join(f"Line {k} of a very long listing." for k in range(5_100))
    with pytest.raises(InputError, match="limit of 25,000,000 passage pairs"):
        comparer.compare(text, text)


def test_thousands_of_identical_articles_stay_one_family(comparer: Comparer) -> None:
    text = article("strike_original.txt").text
    docs = [Document(f"copy{k:04d}", text) for k in range(120)]
    config = ScanConfig(candidates=CandidateConfig(boilerplate_docs=20, semantic=False), workers=1)
    result = scan(docs, config, comparer)
    assert [len(f.members) for f in result.families] == [120]
    assert result.stages.candidates < 120 * 10  # linear, not 7,140 pairs


def test_skip_bad_goes_on_and_says_what_it_skipped(tmp_path: Path) -> None:
    good = [
        article(n).text
        for n in ("strike_original.txt", "strike_faithful_copy.txt", "harbour_flood.txt")
    ]
    lines = [
        json.dumps({"id": "a", "text": good[0]}),
        "{broken json",
        json.dumps({"id": "b", "text": good[1]}),
        json.dumps({"id": "c"}),
        json.dumps({"id": "a", "text": good[2]}),
        json.dumps({"id": "d", "text": good[2]}),
    ]
    path = tmp_path / "messy.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    strict = subprocess.run(
        [sys.executable, "-m", "wiretrace", "scan", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert strict.returncode == 2 and "line 2" in strict.stderr
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", "scan", str(path), "--skip-bad", "-f", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "skipped 3 bad records" in done.stderr
    payload = json.loads(done.stdout)
    assert payload["documents"] == 3 and payload["families"][0]["members"] == ["a", "b"]


def test_a_corpus_past_the_memory_limit_is_refused_early_with_the_limit_named(
    tmp_path: Path,
) -> None:
    from wiretrace.text.corpus import corpus_char_limit, read_documents

    assert 10_000_000 < corpus_char_limit() <= 1_500_000_000
    text = article("strike_original.txt").text
    path = tmp_path / "big.jsonl"
    path.write_text(
        "\n".join(json.dumps({"id": f"d{k}", "text": text}) for k in range(200)), encoding="utf-8"
    )
    with pytest.raises(InputError, match=f"over {5 * len(text):,} characters.*index add"):
        read_documents([path], max_chars=5 * len(text))
    assert len(read_documents([path], max_chars=200 * len(text))) == 200

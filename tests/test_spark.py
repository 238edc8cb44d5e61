"""The Spark engine gives the local engine's families, on a few hundred real articles (local[2])."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from wiretrace.engines.local import scan

from .conftest import real_corpus

pytest.importorskip("pyspark")
pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    from wiretrace.engines.spark import session

    s = session("local[2]")
    yield s
    s.stop()


def test_spark_families_equal_local_families(spark: object) -> None:
    from wiretrace.engines.spark import frame_of, scan_spark

    docs = real_corpus(240)
    local = scan(docs)
    distributed = scan_spark(spark, frame_of(spark, docs, 4), partitions=4)
    assert distributed.to_dict() == local.to_dict()
    assert len(local.families) > 30


def test_spark_keeps_two_families_a_reused_block_links(spark: object) -> None:
    from wiretrace.engines.spark import frame_of, scan_spark

    from .test_scan import reused_block_corpus

    docs = reused_block_corpus()
    distributed = scan_spark(spark, frame_of(spark, docs, 2), partitions=2)
    assert distributed.to_dict() == scan(docs).to_dict()
    assert sorted(f.members for f in distributed.families) == [
        ["moon-a", "moon-b"],
        ["trump-a", "trump-b"],
    ]


def test_spark_refuses_duplicate_ids(spark: object) -> None:
    from wiretrace.engines.spark import frame_of, scan_spark
    from wiretrace.errors import InputError

    docs = real_corpus(6)
    with pytest.raises(InputError, match="duplicate id"):
        scan_spark(spark, frame_of(spark, [*docs, docs[0]], 2), partitions=2)


def test_cli_spark_reads_jsonl_and_writes_outputs(tmp_path: Path) -> None:
    docs = real_corpus(40)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(json.dumps({"id": d.id, "text": d.text}) for d in docs), encoding="utf-8"
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", "scan", str(corpus), "--engine", "spark", "--master", "local[2]",
         "--conf", "spark.sql.shuffle.partitions=4", "--partitions", "2", "--spark-output", str(out), "-f", "json"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["families"] == scan(docs).to_dict()["families"]
    assert (out / "edges.parquet").is_dir() and (out / "families.json").is_dir()


def test_spark_semantic_stage_equals_local_above_the_exact_search_limit(spark: object) -> None:
    """Above EXACT_UP_TO sentences both engines search by cells; they must still agree."""
    from wiretrace.engines.spark import frame_of, prepare_frame, semantic_candidates, settings_json
    from wiretrace.models.static import default_static_encoder
    from wiretrace.scan.candidates import semantic_pairs
    from wiretrace.scan.nearest import EXACT_UP_TO
    from wiretrace.scan.stages import ScanConfig, prepare

    docs = real_corpus(3000)
    config = ScanConfig()
    sentences = {p.doc.id: p.sentences for p in prepare(docs, config)}
    assert sum(map(len, sentences.values())) > EXACT_UP_TO
    local = semantic_pairs(sentences, default_static_encoder(), config.candidates)
    prepared = prepare_frame(frame_of(spark, docs, 4), settings_json(config), True)
    found = semantic_candidates(spark, prepared, config.candidates).collect()  # type: ignore[attr-defined]
    assert {(r.a, r.b) for r in found} == local
    assert len(local) > 1000


def test_spark_outlet_profiles_equal_local_ones(spark: object) -> None:
    from dataclasses import replace

    from wiretrace.engines.spark import frame_of, scan_spark

    from .test_scan import corpus

    names = ["Outlet A", "Outlet B", "Reuters", "Local", "City", "City", "AFP", "Loaded News",
             "Copy Co", "Mix"]  # fmt: skip
    docs = [replace(d, outlet=o) for d, o in zip(corpus(), names, strict=True)]
    local = scan(docs, outlets=True).to_dict()
    distributed = scan_spark(spark, frame_of(spark, docs, 2), partitions=2, outlets=True).to_dict()
    assert distributed["outlets"] == local["outlets"]
    loaded = next(o for o in distributed["outlets"] if o["outlet"] == "Loaded News")
    assert loaded["sources"] == {"AFP": 1} and loaded["substitutions"]


def test_spark_co_occurrence_joins_equal_the_rule_on_crowded_keys(spark: object) -> None:
    """The co-occurrence rule is written once (scan/candidates.strongest_partners); Spark writes
    it as joins. Held equal directly, on keys crowded past the boilerplate cap and documents with
    more strong partners than they may keep."""
    import random

    from wiretrace.engines.spark import co_occurring_frame
    from wiretrace.scan.candidates import CandidateConfig, co_occurring

    config = CandidateConfig(boilerplate_docs=6, hub_docs=2, max_candidates=3)
    rng = random.Random(11)
    keys = {f"d{k:02d}": sorted(rng.sample(range(12), rng.randint(1, 6))) for k in range(30)}
    keys["d99"] = [0, 1, 2]  # key 0..2 are held by many: crowded
    frame = spark.createDataFrame(  # type: ignore[attr-defined]
        [(doc, values) for doc, values in keys.items()], "id string, hashes array<long>"
    )
    for min_count in (1, 2):
        expected = co_occurring(keys, config, min_count)
        rows = co_occurring_frame(frame, "hashes", min_count, config).collect()
        assert {(r.a, r.b) for r in rows} == expected
        assert expected


def test_spark_puts_a_translated_copy_in_its_family_as_local_does(spark: object) -> None:
    from wiretrace.engines.spark import frame_of, scan_spark

    from .test_translation import chandrayaan_corpus

    docs = chandrayaan_corpus()
    distributed = scan_spark(spark, frame_of(spark, docs, 2), partitions=2)
    assert distributed.to_dict() == scan(docs).to_dict()
    assert distributed.stages is not None and distributed.stages.languages >= 1
    assert any(
        {"sinembargo.mx", "theepochtimes.com"} <= set(f.members) for f in distributed.families
    )


@pytest.mark.parametrize("cap", [3, 25])
def test_spark_cross_language_joins_equal_the_rule(
    spark: object, cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cross-language rule is written once (scan/languages.cross_language_pairs); Spark
    writes it as joins. Held equal directly: seven languages (one the encoder does not cover, and
    unknown; one in Devanagari), names and skeletons, anchors crowded past the rarity bar, and
    (cap 3) documents with more partners than they may keep."""
    import random

    from wiretrace.engines.spark import across_languages
    from wiretrace.models.multilingual import COVERED_LANGUAGES
    from wiretrace.scan import languages
    from wiretrace.scan.languages import Tongue, cross_language_pairs

    monkeypatch.setattr(languages, "MAX_CANDIDATES", cap)
    rng = random.Random(5)
    codes = ["en"] * 5 + ["es", "es", "de", "fr", "hi", "ht", "und"]
    assert "ht" not in COVERED_LANGUAGES
    tongues = {
        f"d{k:02d}": Tongue(
            rng.choice(codes),
            # Skeletons ("~") count only between a text in Devanagari (hi) and one that is not.
            frozenset(
                f"{rng.choice(['', '~'])}name{n}"
                for n in rng.sample(range(120), rng.randint(0, 12))
            ),
        )
        for k in range(80)
    }
    tongues["crowd"] = Tongue("es", frozenset(f"name{n}" for n in range(40)))
    frame = spark.createDataFrame(  # type: ignore[attr-defined]
        [(d, t.language, sorted(t.anchors)) for d, t in tongues.items()],
        "id string, language string, anchors array<string>",
    )
    expected = cross_language_pairs(tongues, COVERED_LANGUAGES)
    rows = across_languages(spark, frame).collect()
    assert {(r.a, r.b) for r in rows} == expected
    assert len(expected) > 10
    assert any("hi" in (tongues[a].language, tongues[b].language) for a, b in expected)


# --- A real standalone cluster: a master and two workers, each its own process, on loopback --


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive_workers(web_port: int) -> int:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/json/", timeout=2) as page:
            return int(json.load(page).get("aliveworkers", 0))
    except OSError:
        return 0


@pytest.fixture(scope="module")
def standalone_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``spark://127.0.0.1:…``: a standalone master and two one-core workers started from
    pyspark's own ``spark-class``, stopped when the module's tests are done."""
    import os
    import time

    import pyspark

    spark_class = Path(pyspark.__file__).parent / "bin" / "spark-class"
    logs = tmp_path_factory.mktemp("cluster")
    env = os.environ | {"SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable,
                        "SPARK_LOG_DIR": str(logs), "SPARK_WORKER_DIR": str(logs / "work")}  # fmt: skip
    port, web = _free_port(), _free_port()
    master = f"spark://127.0.0.1:{port}"
    commands = {
        "master": ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                   "--port", str(port), "--webui-port", str(web)],
        **{f"worker{k}": ["org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
                          "--cores", "1", "--memory", "3g", "--webui-port", str(_free_port())]
           for k in range(2)},
    }  # fmt: skip
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for name, command in commands.items():
            with (logs / f"{name}.log").open("wb") as log:
                processes.append(
                    subprocess.Popen(
                        [str(spark_class), *command], env=env, stdout=log, stderr=subprocess.STDOUT
                    )
                )
        deadline = time.monotonic() + 120
        while _alive_workers(web) < 2:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                found = "\n".join(f.read_text()[-1500:] for f in sorted(logs.glob("*.log")))
                pytest.fail(f"the standalone cluster did not start:\n{found}")
            time.sleep(1)
        yield master
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def test_a_standalone_cluster_gives_the_local_engines_families(
    standalone_cluster: str, tmp_path: Path
) -> None:
    """The command line against a real cluster (executors in the workers' processes, not in the
    driver's JVM as with local[2]) finds what the local engine finds."""
    docs = real_corpus(80)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(json.dumps({"id": d.id, "text": d.text}) for d in docs), encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", "scan", str(corpus), "--engine", "spark",
         "--master", standalone_cluster, "--conf", "spark.driver.host=127.0.0.1",
         "--conf", "spark.executor.memory=2g", "--conf", "spark.sql.shuffle.partitions=4",
         "--partitions", "2", "-f", "json"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["families"] == scan(docs).to_dict()["families"]
    assert len(result["families"]) > 10

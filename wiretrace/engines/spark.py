"""The Spark engine: the same scan, stage for stage, on a cluster.

Nothing here re-implements the algorithm: each stage calls the same pure functions as the local
engine (:func:`wiretrace.scan.stages.prepare`, :func:`wiretrace.scan.stages.verify_pair`,
:func:`wiretrace.scan.families.source_groups`, :func:`wiretrace.scan.stages.assign_origins`, the candidate
rules of :mod:`wiretrace.scan.candidates`) inside Spark transformations:

* documents are prepared per partition (segmentation, sentence hashes, MinHash bands, static
  sentence vectors), the models loaded once per executor process, never per row;
* the exact-sentence and MinHash stages are joins on the key (a shuffle on band keys), with the
  same "shared at least n keys, at most k partners per document" rule as the local engine;
* the semantic stage is the search :mod:`wiretrace.scan.nearest` defines, distributed: the cells are
  trained on the driver from the same content-chosen sample as locally, sentences are assigned
  to cells per partition, each cell is searched exactly on an executor, and each probe keeps the
  same best neighbours; integer vectors make every score exact, so the hits equal the local ones;
* candidate pairs are verified as a distributed map with the compare alignment;
* families come from the same per-document source groups, then connected components by iterative
  label propagation written in DataFrames (no GraphFrames); origins by collating each family on an
  executor. The pair list never reaches the driver; the families (the result) do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from typing import Any

from wiretrace.errors import InputError
from wiretrace.scan.candidates import (
    CandidateConfig,
    judged_holders,
    recurring_lines,
    semantic_decision,
)
from wiretrace.scan.families import Edge, Family, family_id, source_groups
from wiretrace.scan.outlets import OutletProfile, profiles_from_tallies
from wiretrace.scan.stages import ScanConfig, ScanResult, StageCounts
from wiretrace.text.documents import Document, normalise

# One set of models per executor process (loaded on first use, then reused by every partition).
_EXECUTOR: dict[str, Any] = {}


def _comparer(config_json: str) -> Any:
    # Keyed by the settings: Python workers outlive a job, and the next scan may differ.
    key = f"comparer {config_json}"
    if key not in _EXECUTOR:
        _EXECUTOR[key] = _scan_config(config_json).comparer()
    return _EXECUTOR[key]


def _static() -> Any:
    if "static" not in _EXECUTOR:
        from wiretrace.models.static import default_static_encoder

        _EXECUTOR["static"] = default_static_encoder()
    return _EXECUTOR["static"]


def session(
    master: str = "local[*]", conf: dict[str, str] | None = None, app: str = "wiretrace"
) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(
            'the spark engine needs the spark extra: pip install "wiretrace[spark]"'
        ) from None
    import os
    import sys

    # Executors on this machine run this very interpreter (with wiretrace and its models); on a
    # cluster, spark-submit's own settings (spark.pyspark.python, an archived venv) take over.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app).master(master)
    defaults = {"spark.sql.shuffle.partitions": "8", "spark.ui.showConsoleProgress": "false"}
    for key, value in (defaults | (conf or {})).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def read_corpus(spark: Any, path: str) -> Any:
    """A DataFrame (id, text, outlet, date, title, url) from JSONL or Parquet at any Spark path."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    schema = T.StructType(
        [
            T.StructField(name, T.StringType())
            for name in ("id", "text", "outlet", "date", "title", "url")
        ]
    )
    if path.rstrip("/").endswith(".parquet"):
        frame = spark.read.parquet(path)
        for name in schema.fieldNames():
            if name not in frame.columns:
                frame = frame.withColumn(name, F.lit(None).cast("string"))
        frame = frame.select(*[F.col(n).cast("string") for n in schema.fieldNames()])
    else:
        frame = spark.read.schema(schema).option("mode", "FAILFAST").json(path)
    return frame


def frame_of(spark: Any, documents: Iterable[Document], partitions: int) -> Any:
    rows = [asdict(d) for d in documents]
    return spark.createDataFrame(
        rows, "id string, text string, outlet string, date string, title string, url string"
    ).repartition(partitions)


# -- stage functions run on executors -----------------------------------------------------------


def _prepare_partition(
    rows: Iterator[Any], config_json: str, semantic: bool
) -> Iterator[tuple[Any, ...]]:
    from wiretrace.scan.candidates import sentence_hash, sentence_vectors
    from wiretrace.scan.nearest import sample_rank
    from wiretrace.scan.stages import prepare

    config = _scan_config(config_json)
    documents = [Document(r.id, r.text, r.outlet, r.date, r.title, r.url) for r in rows]
    if not documents:
        return
    prepared = prepare(documents, config, with_anchors=True)
    texts = [t for p in prepared for t in p.sentences]
    vectors = sentence_vectors(_static(), texts) if semantic and texts else None
    k = 0
    for p in prepared:
        sentence_rows = []
        for position, text in enumerate(p.sentences):
            vector = vectors[k].tolist() if vectors is not None else []
            rank = sample_rank(p.doc.id, position)
            sentence_rows.append((sentence_hash(normalise(text)), rank, vector))
            k += 1
        yield (
            p.doc.id,
            sorted(p.hashes),
            sorted(set(p.bands)),
            sentence_rows,
            p.tongue.language,
            sorted(p.tongue.anchors),
        )


def _scan_config(config_json: str) -> ScanConfig:
    from wiretrace.config import CompareConfig

    raw = json.loads(config_json)
    return ScanConfig(
        compare=CompareConfig(**raw["compare"]),
        candidates=CandidateConfig(**raw["candidates"]),
        max_collate=raw["max_collate"],
        workers=1,
        lexical=raw["lexical"],
    )


def _verify_partition(
    rows: Iterator[Any], config_json: str, recurring: frozenset[int]
) -> Iterator[tuple[Any, ...]]:
    import itertools

    from wiretrace.scan.stages import PREFETCH_PAIRS, Prepared, verify
    from wiretrace.text.segment import segment

    comparer = _comparer(config_json)
    rows = iter(rows)
    # A chunk at a time, so that its passages are embedded together (see scan.PREFETCH_PAIRS).
    while chunk := list(itertools.islice(rows, PREFETCH_PAIRS)):
        prepared = {}
        for r in chunk:
            for doc_id, text in ((r.a, r.text_a), (r.b, r.text_b)):
                if doc_id not in prepared:
                    prepared[doc_id] = Prepared(
                        Document(doc_id, text), segment(text), set(), [], []
                    )
        for edge in verify([(r.a, r.b) for r in chunk], prepared, comparer, recurring=recurring):
            yield (
                edge.a,
                edge.b,
                edge.relation,
                edge.shared_a,
                edge.shared_b,
                sorted(edge.units_a),
                sorted(edge.units_b),
            )


def _cell_search(
    group: tuple[int, Iterable[Any]], threshold: float, most: int
) -> Iterator[tuple[tuple[str, int], tuple[float, tuple[str, int], int]]]:
    """One cell, searched exactly: per probe sentence (doc, position), its ``most`` best stored
    neighbours here as (score, (doc, position), sentence key)."""
    import numpy as np

    from wiretrace.scan.nearest import cell_hits, keep_nearest

    _, members = group
    stored: list[Any] = []
    probes: list[Any] = []
    for role, doc, pos, key, vector in members:
        (stored if role == "stored" else probes).append((doc, pos, key, vector))
    if not stored or not probes:
        return
    stored.sort(key=lambda m: (m[0], m[1]))  # the local engine's row order
    found: dict[int, list[tuple[float, tuple[str, int], int]]] = {}
    for p, s, score in cell_hits(
        np.asarray([m[3] for m in probes], dtype=np.float32),
        [m[2] for m in probes],
        np.asarray([m[3] for m in stored], dtype=np.float32),
        [m[2] for m in stored],
        threshold,
    ):
        found.setdefault(p, []).append((score, (stored[s][0], stored[s][1]), 0))
    for p, hits in found.items():
        for score, order, _ in keep_nearest(hits, most):
            yield (probes[p][0], probes[p][1]), (score, order, 0)


def _nearest_of(
    group: tuple[tuple[str, int], Iterable[tuple[float, tuple[str, int], int]]], most: int
) -> Iterator[tuple[str, int, str, int]]:
    """A probe's ``most`` best neighbours over all its cells, other documents only (as locally:
    same-document neighbours take places in the cap, then count for nothing)."""
    from wiretrace.scan.nearest import keep_nearest

    (doc, pos), hits = group
    for _, (other, other_pos), _ in keep_nearest(list(hits), most):
        if other != doc:
            yield (doc, pos, other, other_pos)


def _groups_of(row: Any) -> tuple[str, bool, list[list[str]]]:
    """For one document: is it a merge, and its neighbours grouped by the part they share."""
    edges = [
        Edge(
            e.a, e.b, e.relation, e.shared_a, e.shared_b, frozenset(e.units_a), frozenset(e.units_b)
        )
        for e in row.edges
    ]
    groups = source_groups(row.doc, edges)
    neighbours = [sorted(e.side(row.doc)[0] for e in g) for g in groups]
    return row.doc, len(groups) > 1, neighbours


def _origins_partition(
    rows: Iterator[Any], config_json: str, outlets: bool
) -> Iterator[tuple[str, str | None, str, dict[str, Any]]]:
    """Per family: its origin and evidence, and (with ``outlets``) its outlet tallies."""
    from wiretrace.scan.outlets import family_tallies
    from wiretrace.scan.stages import assign_origins

    config = _scan_config(config_json)
    comparer = _comparer(config_json)
    for row in rows:
        docs = {d.id: Document(d.id, d.text, d.outlet, d.date, d.title, d.url) for d in row.docs}
        edges = [Edge(e.a, e.b, e.relation, e.shared_a, e.shared_b) for e in row.edges or []]
        family = Family(row.family, sorted(docs), edges)
        assign_origins([family], docs, comparer, config)
        tallies = dict(family_tallies(family, docs, comparer)) if outlets else {}
        yield (row.family, family.origin, family.origin_evidence, tallies)


# -- the driver ---------------------------------------------------------------------------------


def co_occurring_frame(frame: Any, column: str, min_count: int, cfg: CandidateConfig) -> Any:
    """Pairs by :func:`wiretrace.scan.candidates.strongest_partners`'s rule, as DataFrame joins
    (the rule is defined once there; tests/test_spark.py holds the two equal on crowded keys)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    keys = frame.select("id", F.explode(F.array_distinct(column)).alias("key"))
    by_key = Window.partitionBy("key")
    keys = keys.withColumn("size", F.count("*").over(by_key)).withColumn(
        "rank", F.row_number().over(by_key.orderBy("id"))
    )
    # In a crowded key only its first hub_docs documents (by id) count as partners.
    partners = keys.filter(
        (F.col("size") <= cfg.boilerplate_docs) | (F.col("rank") <= cfg.hub_docs)
    )
    shared = (
        keys.alias("x")
        .join(partners.alias("y"), "key")
        .filter(F.col("x.id") != F.col("y.id"))
        .groupBy(F.col("x.id").alias("id"), F.col("y.id").alias("other"))
        .count()
    )
    need = frame.select(
        "id",
        F.least(F.lit(min_count), F.greatest(F.lit(1), F.size(F.array_distinct(column)))).alias(
            "need"
        ),
    )
    ranked = shared.join(need, "id").filter(F.col("count") >= F.col("need"))
    window = Window.partitionBy("id").orderBy(F.col("count").desc(), F.col("other").asc())
    kept = ranked.withColumn("rank", F.row_number().over(window)).filter(
        F.col("rank") <= cfg.max_candidates
    )
    return kept.select(
        F.least("id", "other").alias("a"), F.greatest("id", "other").alias("b")
    ).distinct()


def prepare_frame(frame: Any, config_json: str, semantic: bool) -> Any:
    """Documents prepared per partition: (id, sentence hashes, band keys, sentences as
    (hash, sample rank, integer vector), language, names and figures)."""
    return frame.rdd.mapPartitions(
        lambda rows: _prepare_partition(rows, config_json, semantic)
    ).toDF(
        "id string, hashes array<long>, bands array<long>, "
        "sentences array<struct<_1:long,_2:long,_3:array<short>>>, "
        "language string, anchors array<string>"
    )


def across_languages(spark: Any, prepared: Any) -> Any:
    """The cross-language stage's pairs, :func:`wiretrace.scan.languages.cross_language_pairs`'s
    rule as DataFrame joins: only the count of documents per language comes to the driver
    (tests/test_spark.py holds the two equal on a corpus in seven languages)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from wiretrace.models.multilingual import COVERED_LANGUAGES
    from wiretrace.scan.languages import (
        MAX_CANDIDATES,
        MIN_SHARED,
        NAME_WEIGHT,
        SKELETON,
        SKELETON_WEIGHT,
        rare_limit,
    )
    from wiretrace.text.language import main_of_counts
    from wiretrace.text.skeleton import DEVANAGARI_LANGUAGES

    def deva(language: Any) -> Any:
        return language.isin(sorted(DEVANAGARI_LANGUAGES))

    counts = {r.language: int(r["count"]) for r in prepared.groupBy("language").count().collect()}
    main = main_of_counts(counts)
    usable = sorted(code for code in counts if code in COVERED_LANGUAGES)
    if main is None or len(usable) < 2:
        return spark.createDataFrame([], "a string, b string")
    limit = rare_limit(sum(counts[code] for code in usable))
    held = prepared.filter(F.col("language").isin(usable)).select(
        "id", "language", F.explode(F.array_distinct("anchors")).alias("anchor")
    )
    rare = held.join(
        held.groupBy("anchor").count().filter(F.col("count") <= limit).select("anchor"), "anchor"
    )
    x, y = rare.alias("x"), rare.alias("y")
    shared = (
        x.filter(F.col("language") != main)
        .join(y, "anchor")
        .filter(F.col("x.language") != F.col("y.language"))
        .filter(  # as :func:`~wiretrace.scan.languages.shared_weights`
            ~F.col("anchor").startswith(SKELETON)
            | (deva(F.col("x.language")) != deva(F.col("y.language")))
        )
        .withColumn(
            "weight",
            F.when(F.col("anchor").startswith(SKELETON), SKELETON_WEIGHT).otherwise(NAME_WEIGHT),
        )
        .groupBy(F.col("x.id").alias("id"), F.col("y.id").alias("other"))
        .agg(F.sum("weight").alias("count"))
        .filter(F.col("count") >= MIN_SHARED * NAME_WEIGHT)
    )
    window = Window.partitionBy("id").orderBy(F.col("count").desc(), F.col("other").asc())
    kept = shared.withColumn("rank", F.row_number().over(window)).filter(
        F.col("rank") <= MAX_CANDIDATES
    )
    return kept.select(
        F.least("id", "other").alias("a"), F.greatest("id", "other").alias("b")
    ).distinct()


def semantic_candidates(spark: Any, prepared: Any, cfg: CandidateConfig) -> Any:
    """The semantic stage's pairs (a, b) as a DataFrame: :func:`wiretrace.scan.candidates.semantic_pairs`
    distributed."""
    import numpy as np
    from pyspark.sql import functions as F

    from wiretrace.scan.nearest import (
        NEIGHBOURS,
        NPROBE,
        cell_count,
        nearest_cells,
        train_cells,
        training_size,
    )

    sentences = (
        prepared.select("id", F.posexplode("sentences").alias("pos", "s"))
        .select(
            "id",
            "pos",
            F.col("s._1").alias("key"),
            F.col("s._2").alias("rank"),
            F.col("s._3").alias("vector"),
        )
        .cache()
    )
    total = sentences.count()
    if total == 0:
        return spark.createDataFrame([], "a string, b string")
    counts = {r.id: r.n for r in sentences.groupBy("id").agg(F.count("*").alias("n")).collect()}
    cells = cell_count(total)
    centroids: Any = None
    if cells > 1:
        # The same sample as the local engine (the lowest content ranks), trained on the driver
        # by the same deterministic rounds: only the sample travels there, never the whole set.
        sample = (
            sentences.orderBy("rank", "id", "pos")
            .select("vector")
            .limit(training_size(total, cells))
            .collect()
        )
        centroids = train_cells(np.asarray([r.vector for r in sample], dtype=np.float32), cells)
    shared_centroids = spark.sparkContext.broadcast(centroids)

    def assign(rows: Iterator[Any]) -> Iterator[tuple[int, tuple[str, str, int, int, Any]]]:
        batch = list(rows)
        if not batch:
            return
        vectors = np.asarray([r.vector for r in batch], dtype=np.float32)
        c = shared_centroids.value
        probed = (
            np.zeros((len(batch), 1), dtype=np.int64)
            if c is None
            else nearest_cells(vectors, c, NPROBE)
        )
        for row, vector, order in zip(batch, vectors, probed, strict=True):
            yield int(order[0]), ("stored", row.id, row.pos, row.key, vector)
            for cell in order.tolist():
                yield int(cell), ("probe", row.id, row.pos, row.key, vector)

    threshold, most = cfg.semantic_threshold, NEIGHBOURS
    hits = (
        sentences.rdd.mapPartitions(assign)
        .groupByKey()
        .flatMap(lambda g: _cell_search(g, threshold, most))
        .groupByKey()
        .flatMap(lambda g: _nearest_of(g, most))
    )
    # The decision needs, per pair, the sentences of each side: small per pair, so grouped.
    shared_counts = spark.sparkContext.broadcast(counts)
    shared_cfg = spark.sparkContext.broadcast(cfg)

    def decide(
        group: tuple[tuple[str, str], Iterable[tuple[str, int, str, int]]],
    ) -> Iterator[tuple[str, str]]:
        _, matches = group
        found = semantic_decision(matches, shared_counts.value, shared_cfg.value)
        yield from found

    pairs = hits.keyBy(lambda h: tuple(sorted((h[0], h[2])))).groupByKey().flatMap(decide)
    return spark.createDataFrame(pairs, "a string, b string")


def _label_propagation(spark: Any, links: Any, max_rounds: int = 100) -> Any:
    """Connected components of an undirected graph by iterative label propagation (DataFrames):
    every node takes the smallest label among itself and its neighbours until none changes."""
    from pyspark.sql import functions as F

    both = (
        links.select("a", "b")
        .union(links.select(F.col("b").alias("a"), F.col("a").alias("b")))
        .cache()
    )
    labels = both.select(F.col("a").alias("node")).distinct().withColumn("label", F.col("node"))
    for round_number in range(max_rounds):
        offered = (
            both.join(labels.withColumnRenamed("node", "b"), "b")
            .groupBy(F.col("a").alias("node"))
            .agg(F.min("label").alias("offer"))
        )
        updated = labels.join(offered, "node", "left").select(
            "node", F.least("label", F.coalesce("offer", "label")).alias("label")
        )
        updated = updated.localCheckpoint() if round_number % 4 == 3 else updated.cache()
        changed = (
            updated.join(labels.withColumnRenamed("label", "old"), "node")
            .filter(F.col("label") != F.col("old"))
            .count()
        )
        labels = updated
        if changed == 0:
            return labels
    raise RuntimeError(f"label propagation did not settle in {max_rounds} rounds")


def settings_json(config: ScanConfig) -> str:
    """The scan settings as JSON: what executors rebuild their configuration from."""
    return json.dumps(
        {
            "compare": asdict(config.compare),
            "candidates": asdict(config.candidates),
            "max_collate": config.max_collate,
            "lexical": config.lexical,
        }
    )


def scan_spark(
    spark: Any,
    frame: Any,
    config: ScanConfig | None = None,
    *,
    partitions: int = 8,
    output: str | None = None,
    outlets: bool = False,
) -> ScanResult:
    """The scan of :func:`wiretrace.engines.local.scan` on Spark; ``output`` also writes Parquet/JSON there;
    ``outlets`` adds the outlet profiles, tallied on the executors."""
    import time

    from pyspark.sql import functions as F

    config = config or ScanConfig()
    cfg = config.candidates
    config_json = settings_json(config)
    seconds: dict[str, float] = {}
    start = time.perf_counter()

    frame = frame.repartition(partitions).cache()
    missing = (
        frame.filter(F.col("id").isNull() | F.col("text").isNull() | (F.trim("text") == ""))
        .limit(1)
        .collect()
    )
    if missing:
        raise InputError(
            f"a record has no id or no text (id {missing[0]['id']!r}); every record needs both"
        )
    duplicates = frame.groupBy("id").count().filter(F.col("count") > 1).limit(1).collect()
    if duplicates:
        raise InputError(
            f"duplicate id {duplicates[0]['id']!r}; ids must be unique within one input"
        )
    documents = frame.count()
    prepared = prepare_frame(frame, config_json, config.semantic).cache()
    prepared.count()
    seconds["prepare"] = time.perf_counter() - start

    start = time.perf_counter()
    exact = co_occurring_frame(prepared, "hashes", cfg.min_shared_sentences, cfg).cache()
    minhash = co_occurring_frame(prepared, "bands", 1, cfg).cache()
    semantic = (
        semantic_candidates(spark, prepared, cfg).cache()
        if config.semantic
        else spark.createDataFrame([], "a string, b string")
    )
    across = (
        across_languages(spark, prepared)
        if config.semantic
        else spark.createDataFrame([], "a string, b string")
    )
    candidates = exact.union(minhash).union(semantic).union(across).distinct().cache()
    counts = StageCounts(
        exact.count(),
        minhash.count(),
        semantic.count(),
        candidates.count(),
        languages=across.count(),
    )
    seconds["candidates"] = time.perf_counter() - start

    start = time.perf_counter()
    recurring = corpus_boilerplate(prepared, cfg)
    texts = frame.select("id", "text")
    pairs = (
        candidates.join(texts.withColumnRenamed("id", "a").withColumnRenamed("text", "text_a"), "a")
        .join(texts.withColumnRenamed("id", "b").withColumnRenamed("text", "text_b"), "b")
        .repartition(partitions)
    )
    edges = (
        pairs.rdd.mapPartitions(lambda rows: _verify_partition(rows, config_json, recurring))
        .toDF(
            "a string, b string, relation string, shared_a double, shared_b double, units_a array<int>, units_b array<int>"
        )
        .cache()
    )
    edge_count = edges.count()
    seconds["verify"] = time.perf_counter() - start

    start = time.perf_counter()
    families, family_edges, profiles = _families(spark, edges, frame, config_json, outlets)
    _label_languages(families, prepared)
    seconds["families"] = time.perf_counter() - start
    if output:
        edges.drop("units_a", "units_b").write.mode("overwrite").parquet(
            f"{output.rstrip('/')}/edges.parquet"
        )
        spark.createDataFrame(
            [(f.id, f.members, f.origin, f.origin_evidence, f.merges) for f in families],
            "id string, members array<string>, origin string, origin_evidence string, merges array<string>",
        ).write.mode("overwrite").json(f"{output.rstrip('/')}/families.json")
    del family_edges
    stages = replace(counts, edges=edge_count)
    return ScanResult(documents, families, stages, seconds, profiles)


def corpus_boilerplate(prepared: Any, cfg: CandidateConfig) -> frozenset[int]:
    """The corpus's recurring lines, by the scan's rule (:func:`recurring_lines`): the crowded
    sentence hashes and their judged holders' band keys come to the driver (few: a line must be
    in ``recurring_docs`` documents), and the rule runs there."""
    from pyspark.sql import functions as F

    crowded = (
        prepared.select("id", F.explode("hashes").alias("hash"))
        .groupBy("hash")
        .agg(F.sort_array(F.collect_list("id")).alias("docs"))
        .filter(F.size("docs") >= cfg.recurring_docs)
        .select("hash", F.slice("docs", 1, judged_holders(cfg)).alias("docs"))  # all it reads
        .collect()
    )
    holders = {int(r.hash): list(r.docs) for r in crowded}
    involved = sorted({doc for docs in holders.values() for doc in docs})
    if not involved:
        return frozenset()
    rows = prepared.filter(F.col("id").isin(involved)).select("id", "bands").collect()
    return frozenset(recurring_lines(holders, {r.id: list(r.bands) for r in rows}, cfg))


def _no_copies(frame: Any) -> list[OutletProfile]:
    """Outlet profiles when there are no families: documents counted, nothing reused."""
    from pyspark.sql import functions as F

    rows = frame.filter(F.col("outlet").isNotNull()).groupBy("outlet").count().collect()
    return profiles_from_tallies({}, {r.outlet: r["count"] for r in rows})


def _label_languages(families: list[Family], prepared: Any) -> None:
    """Each member's language: the documents not in the main language come to the driver (few),
    the rest are in it."""
    from pyspark.sql import functions as F

    counts = prepared.groupBy("language").count().orderBy(F.desc("count"), "language").first()
    main = counts["language"] if counts else "und"
    others = {
        row.id: row.language
        for row in prepared.filter(F.col("language") != main).select("id", "language").collect()
    }
    for family in families:
        family.languages = {m: others.get(m, main) for m in family.members}


def _partial_copies(spark: Any, edges: Any, closer: Any, members: Any) -> tuple[Any, Any, Any]:
    """families._attach_partial_copies in DataFrames: (document, label) rows of the documents
    partial copies join to the closer families' ``members``, those of them in several families
    (merges), and the families of documents that only share blocks with each other."""
    from pyspark.sql import functions as F

    cored = (
        closer.select(F.col("a").alias("doc"))
        .union(closer.select(F.col("b").alias("doc")))
        .distinct()
        .withColumn("in", F.lit(True))
    )
    partial = (
        edges.filter(F.col("relation") == "partial_copy")
        .select("a", "b")
        .join(cored.select(F.col("doc").alias("a"), F.col("in").alias("a_in")), "a", "left")
        .join(cored.select(F.col("doc").alias("b"), F.col("in").alias("b_in")), "b", "left")
        .fillna(False, ["a_in", "b_in"])
    )
    one_sided = partial.filter(F.col("a_in") != F.col("b_in")).select(
        F.when(F.col("a_in"), F.col("b")).otherwise(F.col("a")).alias("doc"),
        F.when(F.col("a_in"), F.col("a")).otherwise(F.col("b")).alias("partner"),
    )
    joined = (
        one_sided.join(members.withColumnRenamed("doc", "partner"), "partner")
        .select("doc", "label")
        .distinct()
        .cache()
    )
    several = joined.groupBy("doc").count().filter(F.col("count") > 1).select("doc")
    joined_merges = joined.join(several, "doc")
    attached = joined.select("doc").distinct()
    loose_edges = (
        partial.filter(~F.col("a_in") & ~F.col("b_in"))
        .join(attached.withColumnRenamed("doc", "a"), "a", "left_anti")
        .join(attached.withColumnRenamed("doc", "b"), "b", "left_anti")
        .select("a", "b")
        .localCheckpoint()
    )
    loose = spark.createDataFrame([], "doc string, label string")
    if not loose_edges.rdd.isEmpty():
        loose = _label_propagation(spark, loose_edges).select(F.col("node").alias("doc"), "label")
    return joined, joined_merges, loose


def _families(
    spark: Any, edges: Any, frame: Any, config_json: str, outlets: bool
) -> tuple[list[Family], Any, list[OutletProfile] | None]:
    from pyspark.sql import functions as F

    if edges.rdd.isEmpty():
        return [], edges, _no_copies(frame) if outlets else None
    # Families of the edges closer than a partial copy (families._closer_families): each
    # document's edges, from its side, grouped by the part of it they share.
    closer = edges.filter(F.col("relation") != "partial_copy")
    per_doc = (
        closer.select(F.col("a").alias("doc"), F.struct(*edges.columns).alias("edge"))
        .union(closer.select(F.col("b").alias("doc"), F.struct(*edges.columns).alias("edge")))
        .groupBy("doc")
        .agg(F.collect_list("edge").alias("edges"))
    )
    groups = spark.createDataFrame(
        per_doc.rdd.map(_groups_of), "doc string, merge boolean, groups array<array<string>>"
    ).cache()
    merges = groups.filter("merge").select("doc")
    plain = (
        closer.join(merges.withColumnRenamed("doc", "a"), "a", "left_anti")
        .join(merges.withColumnRenamed("doc", "b"), "b", "left_anti")
        .select("a", "b")
    )
    # A merge's neighbours that share the same part of it carry one source: link them.
    merge_groups = groups.filter("merge").select("doc", F.explode("groups").alias("group"))
    in_group = merge_groups.select("doc", F.col("group"), F.explode("group").alias("other")).join(
        merges.withColumnRenamed("doc", "other"), "other", "left_anti"
    )
    firsts = in_group.groupBy("doc", "group").agg(F.min("other").alias("first"))
    group_links = (
        in_group.join(firsts, ["doc", "group"])
        .filter(F.col("other") != F.col("first"))
        .select(F.col("first").alias("a"), F.col("other").alias("b"))
    )
    non_merge_docs = groups.filter(~F.col("merge")).select(
        F.col("doc").alias("a"), F.col("doc").alias("b")
    )
    labels = _label_propagation(spark, plain.union(group_links).union(non_merge_docs))
    members = labels.join(groups.filter(~F.col("merge")).select(F.col("doc").alias("node")), "node")
    # Merges join the family of every group they carry.
    merge_roots = (
        in_group.join(labels.withColumnRenamed("node", "other"), "other")
        .select("doc", "label")
        .distinct()
    )
    lonely = (
        groups.filter("merge")
        .join(merge_roots.select("doc").distinct(), "doc", "left_anti")
        .select("doc", F.col("doc").alias("label"))
    )
    merge_members = merge_roots.union(lonely)
    # Checkpointed: the label propagation's plan would otherwise be carried into the next one.
    closer_members = (
        members.select(F.col("node").alias("doc"), "label").union(merge_members).localCheckpoint()
    )
    joined, joined_merges, loose = _partial_copies(spark, edges, closer, closer_members)
    all_members = closer_members.union(joined).union(loose)
    merge_members = merge_members.union(joined_merges)
    by_label = (
        all_members.groupBy("label")
        .agg(F.sort_array(F.collect_set("doc")).alias("members"))
        .filter(F.size("members") >= 2)
    )
    merge_sets = merge_members.groupBy("label").agg(
        F.sort_array(F.collect_set("doc")).alias("merges")
    )
    rows = by_label.join(merge_sets, "label", "left").collect()  # the families: the result itself
    families = []
    for row in rows:
        family = Family(family_id(row.members), list(row.members), [], sorted(row.merges or []))
        families.append(family)
    if not families:
        return [], edges, _no_copies(frame) if outlets else None
    membership = spark.createDataFrame(
        [(f.id, m) for f in families for m in f.members], "family string, doc string"
    )
    family_edges = (
        edges.join(membership.withColumnRenamed("doc", "a"), "a")
        .join(membership.withColumnRenamed("doc", "b").withColumnRenamed("family", "family_b"), "b")
        .filter(F.col("family") == F.col("family_b"))
        .drop("family_b")
    )
    edge_rows = family_edges.select(
        "family", "a", "b", "relation", "shared_a", "shared_b"
    ).collect()
    by_family: dict[str, list[Edge]] = {}
    for r in edge_rows:
        by_family.setdefault(r.family, []).append(
            Edge(r.a, r.b, r.relation, r.shared_a, r.shared_b)
        )
    for family in families:
        family.edges = sorted(by_family.get(family.id, []), key=lambda e: (e.a, e.b))
    # Origins: each family collated on an executor.
    docs = frame.select(
        F.col("id").alias("doc"),
        F.struct("id", "text", "outlet", "date", "title", "url").alias("d"),
    )
    family_docs = (
        membership.join(docs, "doc").groupBy("family").agg(F.collect_list("d").alias("docs"))
    )
    edge_lists = family_edges.groupBy("family").agg(
        F.collect_list(F.struct("a", "b", "relation", "shared_a", "shared_b")).alias("edges")
    )
    work = family_docs.join(edge_lists, "family", "left")
    computed = work.rdd.mapPartitions(
        lambda rows: _origins_partition(rows, config_json, outlets)
    ).cache()
    origins = {fid: (origin, evidence) for fid, origin, evidence, _ in computed.collect()}
    for family in families:
        family.origin, family.origin_evidence = origins[family.id]
    profiles = None
    if outlets:
        # Tallies add up on the executors; only one per outlet reaches the driver.
        totals = (
            computed.flatMap(lambda r: r[3].items())
            .reduceByKey(lambda x, y: x.merge(y))
            .collectAsMap()
        )
        per_outlet = frame.filter(F.col("outlet").isNotNull()).groupBy("outlet").count().collect()
        profiles = profiles_from_tallies(totals, {r.outlet: r["count"] for r in per_outlet})
    computed.unpersist()
    ordered = sorted(families, key=lambda f: (-len(f.members), f.members))
    return ordered, family_edges, profiles

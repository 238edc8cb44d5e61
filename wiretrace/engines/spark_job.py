"""Entry point for ``spark-submit``: scan INPUT (JSONL or Parquet, any Spark path), write OUTPUT.

    spark-submit [your cluster options] wiretrace/engines/spark_job.py INPUT OUTPUT [PARTITIONS]

Writes ``OUTPUT/edges.parquet``, ``OUTPUT/families.json`` and ``OUTPUT/families.schema.json`` (the
whole families/1 document). The session comes from spark-submit (master, settings, archives).
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    from pyspark.sql import SparkSession

    from wiretrace.engines.spark import read_corpus, scan_spark

    spark = SparkSession.builder.appName("wiretrace scan").getOrCreate()
    partitions = int(argv[2]) if len(argv) == 3 else spark.sparkContext.defaultParallelism
    result = scan_spark(spark, read_corpus(spark, argv[0]), partitions=partitions, output=argv[1])
    payload = json.dumps(result.to_dict())
    spark.sparkContext.parallelize([payload], 1).saveAsTextFile(
        f"{argv[1].rstrip('/')}/families.schema.json"
    )
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

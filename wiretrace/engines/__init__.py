"""Who runs the scan's rules (:mod:`wiretrace.scan`): the local engine (:mod:`.local`, with its
pool of worker processes in :mod:`.workers`) and Spark (:mod:`.spark`, jobs in :mod:`.spark_job`).
Both give the same families."""

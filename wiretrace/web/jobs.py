"""Background jobs of the web UI (scans): their progress, their result, and their eviction.

A scan can run for minutes, so it runs in a thread while the page polls ``/api/jobs/{id}``. A
finished job keeps its report (an HTML page, possibly megabytes) only until it is read a while
later: the board evicts finished jobs past :data:`KEEP_FINISHED`, oldest first, and any finished
job older than :data:`FINISHED_TTL` seconds, so that a server left running for weeks does not
keep every scan it ever ran. Running jobs are never evicted.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Finished jobs kept at most (the most recent ones).
KEEP_FINISHED = 20
#: Seconds a finished job stays available.
FINISHED_TTL = 3600.0


@dataclass
class Job:
    id: str
    status: str = "running"  # running, done, failed
    stage: str = "queued"
    done: int = 0
    total: int = 0
    error: str = ""
    report: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    finished_at: float | None = None

    def progress(self, stage: str, done: int, total: int) -> None:
        """The progress callback the scan reports to."""
        self.stage, self.done, self.total = stage, done, total

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "error": self.error,
        }


class JobBoard:
    """The jobs of one server: start them, look them up, forget the old finished ones."""

    def __init__(
        self,
        keep_finished: int = KEEP_FINISHED,
        ttl: float = FINISHED_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keep_finished = keep_finished
        self.ttl = ttl
        self._clock = clock
        self._jobs: dict[str, Job] = {}
        self._guard = threading.Lock()

    def __len__(self) -> int:
        return len(self._jobs)

    def get(self, job_id: str) -> Job | None:
        with self._guard:
            self._evict()
            return self._jobs.get(job_id)

    def start(self, work: Callable[[Job], tuple[str, dict[str, Any]]]) -> Job:
        """Run ``work(job)`` in a thread; it returns (the report page, the JSON result). An
        exception marks the job failed with its message: never a crash of the server."""
        job = Job(uuid.uuid4().hex[:12])
        with self._guard:
            self._evict()
            self._jobs[job.id] = job

        def run() -> None:
            try:
                job.report, job.result = work(job)
                job.stage, job.status = "done", "done"
            except Exception as error:  # reported to the page
                job.status, job.error = "failed", str(error)
            job.finished_at = self._clock()
            with self._guard:
                self._evict()

        threading.Thread(target=run, daemon=True).start()
        return job

    def add_finished(self, job: Job) -> None:
        """Put a job that is already finished on the board (tests, and work done inline)."""
        job.finished_at = self._clock() if job.finished_at is None else job.finished_at
        with self._guard:
            self._jobs[job.id] = job
            self._evict()

    def _evict(self) -> None:
        now = self._clock()
        finished = sorted(
            (j for j in self._jobs.values() if j.finished_at is not None),
            key=lambda j: j.finished_at or 0.0,
        )
        expired = [j for j in finished if now - (j.finished_at or now) > self.ttl]
        surplus = finished[: max(0, len(finished) - self.keep_finished)]
        for job in {j.id: j for j in expired + surplus}.values():
            del self._jobs[job.id]

"""HTML reports and the web UI: the JSON API in process, and end-to-end in headless Chromium.

Browser tests need Debian's chromium (/usr/bin/chromium; .ci/run installs it) and the playwright
package; without them they are skipped. Screenshots go to test-output/.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wiretrace import Comparer, Document
from wiretrace.comparer import Comparison
from wiretrace.report.html import render_collate_html, render_compare_html

from .conftest import SEED_A, SEED_B, article

OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
CHROMIUM = "/usr/bin/chromium"
HOSTILE = (
    'Officials said "<script>alert(\'x\')</script>" was <b>bold</b> & the mayor\'s "plan" failed.'
)

starlette = pytest.importorskip("starlette")


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from starlette.testclient import TestClient

    from wiretrace.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


def test_html_report_is_self_contained_and_small(seeds: Comparison) -> None:
    page = render_compare_html(seeds)
    assert len(page.encode()) < 500_000
    assert (
        "<script src" not in page
        and "<link" not in page
        and "http://" not in page.replace("http://www.w3.org", "")
    )
    assert page.count('class="seg') >= 2 * 26  # every aligned passage on both sides


def test_article_text_is_escaped_everywhere(comparer: Comparer) -> None:
    a = Document("a<i>", HOSTILE + " The council met on Tuesday to vote.")
    b = Document("b", HOSTILE.replace("failed", "worked") + " The council met on Tuesday to vote.")
    result = comparer.compare(a, b)
    for page in (
        render_compare_html(result),
        render_collate_html(
            __import__("wiretrace.collate").collate.Collator(comparer).collate([a, b])
        ),
    ):
        assert "<script>alert" not in page and "<b>bold</b>" not in page and "a<i>" not in page
        assert "&lt;script&gt;alert" in page


def test_api_compare_and_errors(client: object) -> None:
    response = client.post("/api/compare", json={"a": SEED_A.read_text(), "b": SEED_B.read_text()})  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.json()["verdict"]["relation"] == "paraphrased_copy"
    bad = client.post("/api/compare", json={"a": "x"})  # type: ignore[attr-defined]
    assert bad.status_code == 400 and '"b"' in bad.json()["error"]
    broken = client.post("/api/compare", content=b"{not json")  # type: ignore[attr-defined]
    assert broken.status_code == 400


def test_upload_cap(client: object) -> None:
    from wiretrace.web.app import MAX_UPLOAD

    big = b"x" * (MAX_UPLOAD + 10)
    response = client.post("/api/compare", content=big)  # type: ignore[attr-defined]
    assert response.status_code == 413 and "limit" in response.json()["error"]


def test_api_collate_and_scan_job(client: object) -> None:
    versions = [
        {"id": n, "text": article(f"{n}.txt").text}
        for n in ("strike_original", "strike_loaded_copy", "strike_faithful_copy")
    ]
    response = client.post("/api/collate", json={"versions": versions})  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.json()["origin"] == "strike_original"
    job = client.post("/api/scan", json={"documents": versions}).json()  # type: ignore[attr-defined]
    for _ in range(300):
        state = client.get(f"/api/jobs/{job['id']}").json()  # type: ignore[attr-defined]
        if state["status"] != "running":
            break
        time.sleep(0.2)
    assert state["status"] == "done", state
    assert [f["members"] for f in state["result"]["families"]] == [
        sorted(v["id"] for v in versions)
    ]
    assert client.get("/api/jobs/nope").status_code == 404  # type: ignore[attr-defined]


def test_no_paths_from_requests(client: object) -> None:
    files = {
        "file_a": ("../../../../etc/passwd", b"The council met on Tuesday."),
        "file_b": ("/etc/shadow", b"The council met on Tuesday."),
    }
    response = client.post("/compare", files=files)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "root:" not in response.text  # the names are labels; the uploaded bytes are the text
    assert client.post("/api/query", json={"text": "x"}).status_code == 404  # type: ignore[attr-defined]


# -- in a real browser -----------------------------------------------------------------------------


def browser_needed(test: Any) -> Any:
    """A test in Chromium: marked ``browser`` (make test-fast leaves them out), skipped where
    Debian's chromium is missing."""
    skip = pytest.mark.skipif(
        not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
        reason="Debian chromium is not installed",
    )
    return pytest.mark.browser(skip(test))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@browser_needed
def test_report_in_chromium_lights_up_counterparts(
    browser: object, seeds: Comparison, tmp_path: Path
) -> None:
    OUTPUT.mkdir(exist_ok=True)
    report = tmp_path / "seeds.html"
    report.write_text(render_compare_html(seeds), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    started = time.perf_counter()
    page.goto(report.as_uri())
    page.wait_for_selector("#doc-b .seg")
    load_seconds = time.perf_counter() - started
    segment = page.locator('.seg[data-side="b"]').nth(5)
    segment.click()
    index = segment.get_attribute("data-seg")
    active = page.eval_on_selector_all(
        ".seg.active", "els => els.map(e => e.dataset.side + e.dataset.seg)"
    )
    assert sorted(active) == sorted([f"a{index}", f"b{index}"])
    page.keyboard.press("j")  # keyboard: next passage on the same side
    assert page.evaluate("document.activeElement.dataset.side") == "b"
    page.screenshot(path=str(OUTPUT / "compare-report.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(OUTPUT / "compare-report-phone.png"))
    page.close()
    print(f"report loaded in {load_seconds:.2f} s")  # reported, not asserted: tests never time


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "wiretrace", "serve", "--no-browser", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


@browser_needed
def test_served_ui_compares_two_pasted_texts(browser: object, server: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    page.screenshot(path=str(OUTPUT / "serve-form.png"))
    page.fill("#a", SEED_A.read_text(encoding="utf-8") + "\n" + HOSTILE)
    page.fill("#b", SEED_B.read_text(encoding="utf-8") + "\n" + HOSTILE)
    page.click("#compare")
    page.wait_for_selector(".verdict", timeout=120_000)
    assert "DERIVED" in page.inner_text(".verdict")
    assert "<script>" in page.inner_text("#doc-a")  # shown as text, never run
    assert dialogs == []
    page.locator('.seg[data-side="a"]').nth(4).click()
    assert page.eval_on_selector_all(".seg.active", "els => els.length") == 2
    page.screenshot(path=str(OUTPUT / "serve-result.png"))
    page.close()


@browser_needed
def test_the_start_page_explains_the_tabs_and_loads_the_example(
    browser: object, server: str
) -> None:
    """One click loads the example; a second compares it. Screenshots at desktop and phone width
    go to test-output/ (docs/ keeps the ones looked at)."""
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(server + "/")
    intro = page.inner_text(".tabs-intro")
    assert all(tab in intro for tab in ("Compare", "Collate", "Scan"))
    assert page.get_attribute('nav a.tab[href="/"]', "class") == "tab active"
    page.screenshot(path=str(OUTPUT / "web-start.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(OUTPUT / "web-start-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#example")
    page.wait_for_function("document.getElementById('a').value.length > 1000")
    assert "Zionist" in page.input_value("#a") and "Israel" in page.input_value("#b")
    page.click("#compare")
    page.wait_for_selector(".verdict", timeout=120_000)
    assert "DERIVED" in page.inner_text(".verdict")
    page.close()


@browser_needed
def test_served_scan_shows_progress_then_families(
    browser: object, server: str, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    names = ("strike_original", "strike_loaded_copy", "strike_faithful_copy", "harbour_flood")
    corpus.write_text(
        "\n".join(json.dumps({"id": n, "text": article(f"{n}.txt").text}) for n in names),
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(server + "/scan")
    page.set_input_files('input[name="files"]', str(corpus))
    page.click("#scan")
    page.wait_for_selector("progress", timeout=30_000)
    page.wait_for_url("**/report", timeout=180_000)
    assert "4 documents: 1 reprint family, 3 documents in a family" in page.inner_text("header")
    page.screenshot(path=str(OUTPUT / "serve-scan.png"))
    page.close()


def test_finished_jobs_are_forgotten_oldest_first_and_after_their_time() -> None:
    from wiretrace.web.jobs import Job, JobBoard

    now = [0.0]
    board = JobBoard(keep_finished=2, ttl=100.0, clock=lambda: now[0])
    for k in range(3):
        now[0] = float(k)
        board.add_finished(Job(f"done-{k}", status="done"))
    assert board.get("done-0") is None  # over the count: the oldest goes
    assert board.get("done-1") is not None and board.get("done-2") is not None
    running = Job("running")
    board._jobs[running.id] = running  # a running job is never evicted
    now[0] = 500.0
    assert board.get("done-2") is None and board.get("done-1") is None  # past their time
    assert board.get("running") is running


def test_a_real_job_runs_and_reports_its_failure() -> None:
    from wiretrace.web.jobs import Job, JobBoard

    board = JobBoard()

    def fails(job: Job) -> tuple[str, dict[str, object]]:
        raise ValueError("no documents")

    def works(job: Job) -> tuple[str, dict[str, object]]:
        job.progress("working", 1, 1)
        return "<p>report</p>", {"ok": True}

    failing, working = board.start(fails), board.start(works)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and {failing.status, working.status} & {"running"}:
        time.sleep(0.01)
    assert failing.status == "failed" and failing.error == "no documents"
    assert working.status == "done" and working.result == {"ok": True}


def test_the_api_description_lists_every_api_route(client: object) -> None:
    from starlette.routing import Route

    from wiretrace.web.app import create_app

    spec = client.get("/api/openapi.json").json()  # type: ignore[attr-defined]
    described = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    served = {
        (route.path, method)
        for route in create_app().routes
        if isinstance(route, Route) and route.path.startswith("/api/")
        for method in (route.methods or ()) - {"HEAD"}
        if route.path != "/api/openapi.json"
    }
    assert described == served and len(served) == 6

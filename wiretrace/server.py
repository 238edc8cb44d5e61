"""``wiretrace serve``: the web UI and a small JSON API over the same library calls as the CLI.

Pages: ``/`` (compare two texts, pasted or uploaded), ``/collate`` (several versions), ``/scan``
(a corpus upload, run as a job with a progress bar), and with ``--index DIR`` ``/families`` and
``/query``. API: ``POST /api/compare``, ``/api/collate``, ``/api/scan`` (a job), ``/api/query``,
``GET /api/jobs/{id}``; described at ``/api/openapi.json``.

Limits that keep it up: requests over ``MAX_UPLOAD`` bytes are refused with 413 and a message;
work runs in a worker thread with a time limit (504 past it); nothing in a request is ever used as
a file-system path; article text is escaped everywhere it is shown.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from wiretrace import __version__
from wiretrace.documents import Document, document_from_bytes
from wiretrace.errors import InputError, WiretraceError

MAX_UPLOAD = 20 * 1024 * 1024  # bytes per request
TIMEOUT = 300.0  # seconds of work per request
MAX_VERSIONS = 60

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>wiretrace: {title}</title>
<style>{css} textarea {{ width: 100%; min-height: 14em; font: 14px/1.4 ui-monospace, monospace; }}
form.pair {{ display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }}
@media (max-width: 800px) {{ form.pair {{ grid-template-columns: 1fr; }} }}
nav a {{ margin-right: 1em; }} button {{ font-size: 1em; padding: 6px 16px; margin-top: 8px; }}
.error {{ color: #82071e; font-weight: 600; }} progress {{ width: 100%; height: 1.4em; }}</style></head>
<body><header><nav><a href="/">Compare</a><a href="/collate">Collate</a><a href="/scan">Scan</a>{index_links}
<a href="/api/openapi.json">API</a></nav><h1>{title}</h1></header><main>{body}</main>
<footer class="muted">wiretrace {version} · served on this machine only</footer></body></html>"""

COMPARE_FORM = """<p>Paste or upload two versions of a story. wiretrace aligns them passage by passage and
says what was copied, edited, paraphrased, added or dropped, and which words, quotations and facts
changed.</p>
<form class="pair" method="post" action="/compare" enctype="multipart/form-data">
<div><label for="a">Text A</label><textarea id="a" name="a"></textarea>
<input type="file" name="file_a" aria-label="or upload A"></div>
<div><label for="b">Text B</label><textarea id="b" name="b"></textarea>
<input type="file" name="file_b" aria-label="or upload B"></div>
<div><button type="submit" id="compare">Compare</button></div></form>"""

COLLATE_FORM = """<p>Upload several versions of one story (text or HTML files), or paste them below separated by
a line with three dashes (<code>---</code>).</p>
<form method="post" action="/collate" enctype="multipart/form-data">
<input type="file" name="files" multiple aria-label="versions"><br>
<textarea name="pasted" aria-label="pasted versions"></textarea><br>
<button type="submit" id="collate">Collate</button></form>"""

SCAN_FORM = """<p>Upload a corpus: a JSON Lines file of <code>{"id", "text", "outlet"?, "date"?}</code> records, or
several text files. The scan runs in the background with a progress bar.</p>
<form method="post" action="/scan" enctype="multipart/form-data">
<input type="file" name="files" multiple aria-label="corpus files"><br>
<label><input type="checkbox" name="outlets" value="1"> outlet profiles</label><br>
<button type="submit" id="scan">Scan</button></form>"""

QUERY_FORM = """<p>Paste or upload an article to find the stored articles it derives from, or that derive
from it.</p><form method="post" action="/query" enctype="multipart/form-data">
<textarea name="text" aria-label="article"></textarea><input type="file" name="file" aria-label="or upload">
<br><button type="submit" id="query">Search the index</button></form>"""

JOB_PAGE = """<p id="stage">Starting…</p><progress id="bar" max="1" value="0"></progress>
<script>
(function poll() {{
  fetch('/api/jobs/{job}').then(function (r) {{ return r.json(); }}).then(function (j) {{
    document.getElementById('stage').textContent = j.stage + (j.total ? ' (' + j.done + ' of ' + j.total + ')' : '');
    var bar = document.getElementById('bar');
    if (j.total) {{ bar.max = j.total; bar.value = j.done; }} else {{ bar.removeAttribute('value'); }}
    if (j.status === 'done') {{ window.location = '/jobs/{job}/report'; }}
    else if (j.status === 'failed') {{ document.getElementById('stage').textContent = 'Failed: ' + j.error; }}
    else {{ setTimeout(poll, 400); }}
  }});
}})();
</script>"""


@dataclass
class Job:
    id: str
    status: str = "running"
    stage: str = "queued"
    done: int = 0
    total: int = 0
    error: str = ""
    report: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "error": self.error,
        }


class TooLarge(WiretraceError):
    pass


def _page(title: str, body: str | Markup, index: bool) -> str:
    from wiretrace.report.html import asset

    links = '<a href="/families">Families</a><a href="/query">Query</a>' if index else ""
    return PAGE.format(
        title=escape(title),
        css=asset("base.css"),
        index_links=links,
        body=body,
        version=__version__,
    )


OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "wiretrace", "version": __version__},
    "paths": {
        "/api/compare": {
            "post": {
                "summary": "Compare two texts (wiretrace.compare/1)",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["a", "b"],
                                "properties": {
                                    "a": {"type": "string"},
                                    "b": {"type": "string"},
                                    "a_id": {"type": "string"},
                                    "b_id": {"type": "string"},
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "200": {"description": "the comparison"},
                    "400": {"description": "bad input"},
                    "413": {"description": "too large"},
                },
            }
        },
        "/api/collate": {
            "post": {
                "summary": "Collate versions (wiretrace.collate/1)",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["versions"],
                                "properties": {
                                    "versions": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "text"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "text": {"type": "string"},
                                                "date": {"type": "string"},
                                                "outlet": {"type": "string"},
                                            },
                                        },
                                    }
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "200": {"description": "the collation"},
                    "400": {"description": "bad input"},
                },
            }
        },
        "/api/scan": {
            "post": {
                "summary": "Start a scan job over documents (wiretrace.families/1 when done)",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["documents"],
                                "properties": {
                                    "documents": {"type": "array", "items": {"type": "object"}},
                                    "outlets": {"type": "boolean"},
                                },
                            }
                        }
                    }
                },
                "responses": {"202": {"description": "the job: poll /api/jobs/{id}"}},
            }
        },
        "/api/jobs/{id}": {
            "get": {
                "summary": "A job's progress; its result when done",
                "responses": {
                    "200": {"description": "the job"},
                    "404": {"description": "no such job"},
                },
            }
        },
        "/api/query": {
            "post": {
                "summary": "Query the served index (wiretrace.query/1)",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["text"],
                                "properties": {
                                    "text": {"type": "string"},
                                    "id": {"type": "string"},
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "200": {"description": "the matches"},
                    "404": {"description": "no index served"},
                },
            }
        },
    },
}


def create_app(index: Path | None = None) -> Any:
    """The ASGI application. ``index`` is the one directory it may read: fixed at start-up."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    from wiretrace.comparer import Comparer

    comparer = Comparer()
    lock = threading.Lock()  # the model and caches serve one request at a time
    jobs: dict[str, Job] = {}

    async def run(work: Callable[[], Any]) -> Any:
        def locked() -> Any:
            with lock:
                return work()

        return await asyncio.wait_for(asyncio.to_thread(locked), TIMEOUT)

    async def body_of(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_UPLOAD:
            raise TooLarge(f"the request is over the {MAX_UPLOAD // (1024 * 1024)} MB limit")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise TooLarge(f"the request is over the {MAX_UPLOAD // (1024 * 1024)} MB limit")
            chunks.append(chunk)
        return b"".join(chunks)

    async def form_of(request: Request) -> Any:
        from starlette.datastructures import FormData

        raw = await body_of(request)

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": raw, "more_body": False}

        replay = Request(request.scope, receive)
        form: FormData = await replay.form(max_files=MAX_VERSIONS * 10, max_fields=100)
        return form

    def guard(
        handler: Callable[[Request], Awaitable[Response]], api: bool
    ) -> Callable[[Request], Awaitable[Response]]:
        async def wrapped(request: Request) -> Response:
            try:
                return await handler(request)
            except TooLarge as error:
                return _error(str(error), 413, api)
            except (InputError, WiretraceError, ValueError, json.JSONDecodeError) as error:
                return _error(str(error), 400, api)
            except TimeoutError:
                return _error(
                    f"the work took over {TIMEOUT:.0f} s and was stopped; try smaller input",
                    504,
                    api,
                )

        return wrapped

    def _error(message: str, status: int, api: bool) -> Response:
        if api:
            return JSONResponse({"error": message}, status_code=status)
        body = Markup(
            '<p class="error">{}</p><p><a href="javascript:history.back()">Back</a></p>'
        ).format(message)
        return HTMLResponse(_page("Cannot do that", body, index is not None), status_code=status)

    async def text_field(
        form: Any, text_name: str, file_name: str, default_id: str
    ) -> Document | None:
        upload = form.get(file_name)
        filename = getattr(upload, "filename", None)
        if upload is not None and filename:
            data = await upload.read()
            if data.strip():
                # The upload's name is only a label: it is never opened as a path.
                label = Path(str(filename)).name or default_id
                return document_from_bytes(
                    data, doc_id=Path(label).stem or default_id, name=label, notice=lambda _: None
                )
        text = str(form.get(text_name) or "")
        return Document(default_id, text) if text.strip() else None

    # -- pages -------------------------------------------------------------------------------

    async def home(request: Request) -> Response:
        return HTMLResponse(_page("Compare two versions", COMPARE_FORM, index is not None))

    async def compare_page(request: Request) -> Response:
        from wiretrace.report.html import render_compare_html

        form = await form_of(request)
        a = await text_field(form, "a", "file_a", "A")
        b = await text_field(form, "b", "file_b", "B")
        if a is None or b is None:
            raise InputError("give both texts: paste them or upload a file for each")
        result = await run(lambda: comparer.compare(a, b))
        return HTMLResponse(render_compare_html(result))

    async def collate_form(request: Request) -> Response:
        return HTMLResponse(_page("Collate versions", COLLATE_FORM, index is not None))

    async def _versions(form: Any) -> list[Document]:
        docs: list[Document] = []
        for upload in form.getlist("files"):
            filename = getattr(upload, "filename", None)
            if filename:
                data = await upload.read()
                if data.strip():
                    label = Path(str(filename)).name
                    docs.extend(_documents_from_upload(label, data))
        pasted = str(form.get("pasted") or "")
        for k, part in enumerate(p for p in pasted.split("\n---\n") if p.strip()):
            docs.append(Document(f"pasted-{k + 1}", part))
        ids = [d.id for d in docs]
        if len(set(ids)) != len(ids):
            raise InputError("two versions have the same name; rename one")
        if len(docs) > MAX_VERSIONS * 100:
            raise InputError("too many documents for one request")
        return docs

    async def collate_page(request: Request) -> Response:
        from wiretrace.collate import Collator
        from wiretrace.report.html import render_collate_html

        docs = await _versions(await form_of(request))
        if len(docs) < 2:
            raise InputError("collate needs at least two versions")
        if len(docs) > MAX_VERSIONS:
            raise InputError(f"at most {MAX_VERSIONS} versions at a time")
        result = await run(lambda: Collator(comparer).collate(docs))
        return HTMLResponse(render_collate_html(result))

    async def scan_form(request: Request) -> Response:
        return HTMLResponse(_page("Scan a corpus", SCAN_FORM, index is not None))

    def start_scan(docs: list[Document], outlets: bool) -> Job:
        from wiretrace.report.html import render_scan_html
        from wiretrace.scan import ScanConfig, collate_families, scan

        job = Job(uuid.uuid4().hex[:12])
        jobs[job.id] = job

        def progress(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total

        def work() -> None:
            try:
                with lock:
                    result = scan(
                        docs, ScanConfig(workers=1), comparer, outlets=outlets, progress=progress
                    )
                    job.stage = "collating families"
                    by_id = {d.id: d for d in docs}
                    meta = {d.id: (d.outlet, d.date) for d in docs}
                    job.report = render_scan_html(
                        result, meta, collate_families(result.families, by_id)
                    )
                job.result = result.to_dict()
                job.stage, job.status = "done", "done"
            except Exception as error:  # reported to the page, never a crash of the server
                job.status, job.error = "failed", str(error)

        threading.Thread(target=work, daemon=True).start()
        return job

    async def scan_page(request: Request) -> Response:
        form = await form_of(request)
        docs = await _versions(form)
        if not docs:
            raise InputError("upload a .jsonl file or several text files")
        job = start_scan(docs, bool(form.get("outlets")))
        body = Markup(JOB_PAGE.format(job=job.id))
        return HTMLResponse(_page("Scanning…", body, index is not None))

    async def job_report(request: Request) -> Response:
        job = jobs.get(request.path_params["job"])
        if job is None or job.status != "done":
            return _error("no finished job with that id", 404, False)
        return HTMLResponse(job.report)

    async def families_page(request: Request) -> Response:
        from wiretrace.index import Index
        from wiretrace.report.html import render_scan_html

        if index is None:
            return _error(
                "no index is served: start with `wiretrace serve --index DIR`", 404, False
            )

        def work() -> str:
            with Index.open(index) as store:
                result = store.families()
                meta = {
                    m: (d.outlet, d.date)
                    for f in result.families
                    for m in f.members
                    for d in [store.document(m)]
                }
            return render_scan_html(result, meta)

        return HTMLResponse(await run(work))

    async def query_form(request: Request) -> Response:
        return HTMLResponse(_page("Search the index", QUERY_FORM, index is not None))

    def query_index(document: Document) -> Any:
        from wiretrace.index import Index

        assert index is not None
        with Index.open(index) as store:
            return store.query(document)

    async def query_page(request: Request) -> Response:
        if index is None:
            return _error(
                "no index is served: start with `wiretrace serve --index DIR`", 404, False
            )
        form = await form_of(request)
        document = await text_field(form, "text", "file", "query")
        if document is None:
            raise InputError("paste or upload the article to look up")
        result = await run(lambda: query_index(document))
        rows = Markup("").join(
            Markup(
                "<tr><td>{}</td><td>{}</td><td>{:.0%}</td><td>{:.0%}</td><td>{}</td></tr>"
            ).format(
                m.id, m.relation.replace("_", " "), m.shared_query, m.shared_match, m.family or ""
            )
            for m in result.matches
        )
        body = (
            Markup(
                "<table><tr><th>stored article</th><th>relation</th><th>of the query</th><th>of it</th><th>family</th></tr>{}</table>"
            ).format(rows)
            if result.matches
            else Markup("<p>No stored article derives from this one or is derived from it.</p>")
        )
        return HTMLResponse(_page("Matches", body, True))

    # -- API -----------------------------------------------------------------------------------

    async def api_json(request: Request) -> Any:
        raw = await body_of(request)
        payload = json.loads(raw or b"null")
        if not isinstance(payload, dict):
            raise InputError("send a JSON object")
        return payload

    def _text(payload: dict[str, Any], key: str) -> str:
        value = payload.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InputError(f'"{key}" must be a non-empty string')
        return value

    async def api_compare(request: Request) -> Response:
        payload = await api_json(request)
        a = Document(str(payload.get("a_id") or "a"), _text(payload, "a"))
        b = Document(str(payload.get("b_id") or "b"), _text(payload, "b"))
        result = await run(lambda: comparer.compare(a, b))
        return JSONResponse(result.to_dict())

    def _docs(items: Any, key: str) -> list[Document]:
        if not isinstance(items, list):
            raise InputError(f'"{key}" must be a list of {{"id", "text"}} objects')
        docs = []
        for k, item in enumerate(items):
            if not isinstance(item, dict):
                raise InputError(f"{key}[{k}] must be an object")
            extra = {
                f: str(item[f])
                for f in ("outlet", "date", "title", "url")
                if item.get(f) is not None
            }
            docs.append(Document(str(item.get("id") or f"v{k + 1}"), _text(item, "text"), **extra))
        if len({d.id for d in docs}) != len(docs):
            raise InputError("ids must be unique")
        return docs

    async def api_collate(request: Request) -> Response:
        from wiretrace.collate import Collator

        docs = _docs((await api_json(request)).get("versions"), "versions")
        if not 2 <= len(docs) <= MAX_VERSIONS:
            raise InputError(f"give between 2 and {MAX_VERSIONS} versions")
        result = await run(lambda: Collator(comparer).collate(docs))
        return JSONResponse(result.to_dict())

    async def api_scan(request: Request) -> Response:
        payload = await api_json(request)
        job = start_scan(_docs(payload.get("documents"), "documents"), bool(payload.get("outlets")))
        return JSONResponse(job.to_dict(), status_code=202)

    async def api_job(request: Request) -> Response:
        job = jobs.get(request.path_params["job"])
        if job is None:
            return JSONResponse({"error": "no such job"}, status_code=404)
        body = job.to_dict() | ({"result": job.result} if job.status == "done" else {})
        return JSONResponse(body)

    async def api_query(request: Request) -> Response:
        if index is None:
            return JSONResponse(
                {"error": "no index is served: start with --index DIR"}, status_code=404
            )
        payload = await api_json(request)
        document = Document(str(payload.get("id") or "query"), _text(payload, "text"))
        result = await run(lambda: query_index(document))
        return JSONResponse(result.to_dict())

    async def openapi(request: Request) -> Response:
        return JSONResponse(OPENAPI)

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", guard(home, False)),
        Route("/compare", guard(compare_page, False), methods=["POST"]),
        Route("/compare", lambda r: RedirectResponse("/"), methods=["GET"]),
        Route("/collate", guard(collate_form, False), methods=["GET"]),
        Route("/collate", guard(collate_page, False), methods=["POST"]),
        Route("/scan", guard(scan_form, False), methods=["GET"]),
        Route("/scan", guard(scan_page, False), methods=["POST"]),
        Route("/jobs/{job}/report", guard(job_report, False)),
        Route("/families", guard(families_page, False)),
        Route("/query", guard(query_form, False), methods=["GET"]),
        Route("/query", guard(query_page, False), methods=["POST"]),
        Route("/api/compare", guard(api_compare, True), methods=["POST"]),
        Route("/api/collate", guard(api_collate, True), methods=["POST"]),
        Route("/api/scan", guard(api_scan, True), methods=["POST"]),
        Route("/api/jobs/{job}", guard(api_job, True)),
        Route("/api/query", guard(api_query, True), methods=["POST"]),
        Route("/api/openapi.json", openapi),
        Route("/favicon.ico", favicon),
    ]
    return Starlette(routes=routes)


def _documents_from_upload(label: str, data: bytes) -> list[Document]:
    """One upload: a JSON Lines corpus, or one article."""
    if label.lower().endswith((".jsonl", ".ndjson")):
        from wiretrace.corpus import parse_jsonl

        return list(parse_jsonl(data.splitlines(), label))
    stem = Path(label).stem or "upload"
    return [document_from_bytes(data, doc_id=stem, name=label, notice=lambda _: None)]


def serve(host: str, port: int, open_browser: bool, index: Path | None) -> None:
    import sys
    import webbrowser

    import uvicorn

    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"wiretrace: warning: serving on {host}: anyone who can reach this machine can use it "
            "(there is no login)",
            file=sys.stderr,
        )
    if index is not None:
        from wiretrace.index import Index

        Index.open(index).close()  # fail now, with a clear message, if it is not an index
    app = create_app(index)
    url = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/"
    print(f"wiretrace: serving on {url} (Ctrl+C to stop)", file=sys.stderr)
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=5)

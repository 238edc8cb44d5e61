"""``wiretrace serve``: the web UI and a small JSON API over the same library calls as the CLI.

Pages: ``/`` (compare two texts, pasted or uploaded), ``/collate`` (several versions), ``/scan``
(a corpus upload, run as a job with a progress bar), and with ``--index DIR`` ``/families`` and
``/query``; their markup is in ``templates/web/``. API: the routes of
:data:`wiretrace.web.openapi.ENDPOINTS`, described at ``/api/openapi.json``. Scan jobs run on a
:class:`~wiretrace.web.jobs.JobBoard`, which forgets old finished ones.

Limits that keep it up: requests over ``MAX_UPLOAD`` bytes are refused with 413 and a message;
work runs in a worker thread with a time limit (504 past it); nothing in a request is ever used as
a file-system path; article text is escaped everywhere it is shown.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from wiretrace import __version__
from wiretrace.errors import InputError, WiretraceError
from wiretrace.report.html import render_template
from wiretrace.text.documents import Document, document_from_bytes
from wiretrace.web.jobs import Job, JobBoard
from wiretrace.web.openapi import ENDPOINTS, openapi_document

MAX_UPLOAD = 20 * 1024 * 1024  # bytes per request
TIMEOUT = 300.0  # seconds of work per request
MAX_VERSIONS = 60


class TooLarge(WiretraceError):
    pass


def create_app(index: Path | None = None) -> Any:
    """The ASGI application. ``index`` is the one directory it may read: fixed at start-up."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    from wiretrace.comparer import Comparer

    comparer = Comparer()
    lock = threading.Lock()  # the model and caches serve one request at a time
    jobs = JobBoard()

    def page(template: str, title: str, active: str = "", **context: Any) -> HTMLResponse:
        return HTMLResponse(
            render_template(
                template, title=title, index=index is not None, active=active, **context
            )
        )

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
        response = page("web/error.html.j2", "Cannot do that", message=message)
        response.status_code = status
        return response

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
        return page("web/compare_form.html.j2", "Compare two versions", "/")

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
        return page("web/collate_form.html.j2", "Collate versions", "/collate")

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
        return page("web/scan_form.html.j2", "Scan a corpus", "/scan")

    def start_scan(docs: list[Document], outlets: bool) -> Job:
        from wiretrace.engines.local import scan
        from wiretrace.report.html import render_scan_html
        from wiretrace.scan.stages import ScanConfig, collate_families

        def work(job: Job) -> tuple[str, dict[str, Any]]:
            with lock:
                result = scan(
                    docs, ScanConfig(workers=1), comparer, outlets=outlets, progress=job.progress
                )
                job.stage = "collating families"
                by_id = {d.id: d for d in docs}
                meta = {d.id: (d.outlet, d.date) for d in docs}
                report = render_scan_html(result, meta, collate_families(result.families, by_id))
            return report, result.to_dict()

        return jobs.start(work)

    async def scan_page(request: Request) -> Response:
        form = await form_of(request)
        docs = await _versions(form)
        if not docs:
            raise InputError("upload a .jsonl file or several text files")
        job = start_scan(docs, bool(form.get("outlets")))
        return page("web/job.html.j2", "Scanning…", job=job.id)

    async def job_report(request: Request) -> Response:
        job = jobs.get(request.path_params["job"])
        if job is None or job.status != "done":
            return _error("no finished job with that id", 404, False)
        return HTMLResponse(job.report)

    async def families_page(request: Request) -> Response:
        from wiretrace.report.html import render_scan_html
        from wiretrace.store.index import Index

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
        return page("web/query_form.html.j2", "Search the index", "/query")

    def query_index(document: Document) -> Any:
        from wiretrace.store.index import Index

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
        from wiretrace.report.summary import relation_label

        return page("web/matches.html.j2", "Matches", matches=result.matches, label=relation_label)

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
        return JSONResponse(openapi_document(__version__))

    async def example(request: Request) -> Response:
        """The canonical example's two texts, for the start page's "try the example" button."""
        from importlib import resources

        folder = resources.files("wiretrace") / "examples"
        return JSONResponse(
            {
                "a": (folder / "afp-gantz-morocco-loaded-copy.txt").read_text("utf-8"),
                "b": (folder / "afp-gantz-morocco-spun-copy.txt").read_text("utf-8"),
            }
        )

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
        Route("/api/openapi.json", openapi),
        Route("/favicon.ico", favicon),
    ]
    handlers = {
        "api_compare": api_compare,
        "api_collate": api_collate,
        "api_scan": api_scan,
        "api_job": api_job,
        "api_query": api_query,
        "api_example": example,
    }
    routes += [
        Route(e.path, guard(handlers[e.handler], True), methods=[e.method]) for e in ENDPOINTS
    ]
    return Starlette(routes=routes)


def _documents_from_upload(label: str, data: bytes) -> list[Document]:
    """One upload: a JSON Lines corpus, or one article."""
    if label.lower().endswith((".jsonl", ".ndjson")):
        from wiretrace.text.corpus import parse_jsonl

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
        from wiretrace.store.index import Index

        Index.open(index).close()  # fail now, with a clear message, if it is not an index
    app = create_app(index)
    url = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/"
    print(f"wiretrace: serving on {url} (Ctrl+C to stop)", file=sys.stderr)
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=5)

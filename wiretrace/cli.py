"""The command line: thin commands that call the library and turn its errors into one clear line.

Exit codes: 0 done, 1 internal error, 2 bad usage or bad input (one line on stderr, no traceback).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO

import typer

from wiretrace import __version__
from wiretrace.errors import InputError, ModelError, WiretraceError

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="wiretrace",
    help=(
        "Trace news text reuse: align a copy with its source and say what was done to each "
        "passage (copied verbatim, edited, paraphrased, added, dropped).\n\n"
        "Example:  wiretrace compare agency.txt reprint.txt"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"


SkipBadOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad",
        help="Go on past bad records (broken JSONL lines, unreadable files, duplicate ids) and say "
        "how many were skipped and why.",
    ),
]


def _read_corpus(inputs: list[str], skip_bad: bool) -> list[Any]:
    """Read documents; with --skip-bad, report the skipped ones in one line on stderr."""
    from wiretrace.text.corpus import SkipReport, read_documents

    skips = SkipReport() if skip_bad else None
    documents = read_documents(inputs, on_bad=skips)
    if skips is not None and (summary := skips.summary()):
        print(f"wiretrace: note: {summary}", file=sys.stderr)
    return documents


class Engine(StrEnum):
    local = "local"
    spark = "spark"


# Shared output options: every command that emits a report takes these two, the same way.
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="text for a person (default), json for scripts.",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to this file instead of standard output.",
        dir_okay=False,
    ),
]


def _write(output: Path | None, render: Callable[[TextIO | None], str | None]) -> None:
    """Run ``render`` to standard output, or to ``output`` atomically (no half-written file)."""
    if output is None:
        text = render(None)
        if text is not None:
            sys.stdout.write(text)
        return
    target = output.resolve()
    if not target.parent.is_dir():
        raise InputError(f"cannot write {output}: folder {target.parent} does not exist")
    buffer = io.StringIO()
    text = render(buffer)
    content = text if text is not None else buffer.getvalue()
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, delete=False
        ) as tmp:
            tmp.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp.name, 0o666 & ~umask)  # as a plain open() would: temp files are private
        os.replace(tmp.name, target)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror or error}") from None


def _version(value: bool) -> None:
    if value:
        print(f"wiretrace {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Trace news text reuse."""


@app.command()
def compare(
    a: Annotated[
        str,
        typer.Argument(
            help="First text: a .txt or .html file, or - for standard input.", metavar="A"
        ),
    ],
    b: Annotated[str, typer.Argument(help="Second text, as A.", metavar="B")],
    format: FormatOption = Format.text,
    output: OutputOption = None,
) -> None:
    """Align two versions of a story passage by passage and say what happened to each.

    Prints the verdict (derived copy, same event, unrelated), a summary, and both texts side by
    side: [green]= verbatim[/], [yellow]~ edited[/] (small word edits), [cyan]≈ paraphrase[/]
    (reworded), [red]- only in A[/], [blue]+ only in B[/]; moved passages are flagged.

    Examples:

      wiretrace compare afp.txt copy.txt

      wiretrace compare afp.txt copy.html --format json -o result.json

      curl -s URL | wiretrace compare afp.txt -
    """
    if a == "-" and b == "-":
        raise InputError("only one of A and B can be - (standard input)")
    from wiretrace.comparer import Comparer
    from wiretrace.text.documents import read_document

    doc_a, doc_b = read_document(a), read_document(b)
    result = Comparer().compare(doc_a, doc_b)
    from wiretrace.report.html import render_compare_html
    from wiretrace.report.text import render_comparison

    _emit(
        format,
        output,
        result.to_dict,
        lambda console: render_comparison(result, console),
        lambda: render_compare_html(result),
    )


@app.command()
def collate(
    versions: Annotated[
        list[str],
        typer.Argument(
            help="Two or more versions: text/HTML files, a folder of them, or a .jsonl file.",
            metavar="VERSION...",
        ),
    ],
    format: FormatOption = Format.text,
    output: OutputOption = None,
    skip_bad: SkipBadOption = False,
) -> None:
    """Collate many versions of one story: the consensus, each version's deviations, the origin.

    The result does not depend on the order of the versions. JSONL records may carry "outlet" and
    "date"; dates break ties when naming the origin.

    Examples:

      wiretrace collate afp.txt outlet1.txt outlet2.html

      wiretrace collate versions/ --format json -o collation.json

      wiretrace collate story.jsonl
    """
    from wiretrace.collate import Collator
    from wiretrace.report.collation import render_collation

    documents = _read_corpus(versions, skip_bad)
    if len(documents) < 2:
        raise InputError(f"collate needs at least two versions; got {len(documents)}")
    with _progress("aligning versions") as advance:
        result = Collator().collate(documents, progress=advance)
    from wiretrace.report.html import render_collate_html

    _emit(
        format,
        output,
        result.to_dict,
        lambda console: render_collation(result, console),
        lambda: render_collate_html(result),
    )


@app.command()
def scan(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="A folder of .txt/.html files (id = file name) or a .jsonl file of "
            '{"id", "text", "outlet"?, "date"?, "title"?, "url"?}; several may be given.',
            metavar="INPUT...",
        ),
    ],
    format: FormatOption = Format.text,
    output: OutputOption = None,
    outlets: Annotated[
        bool,
        typer.Option(
            "--outlets", help="Add outlet profiles: reuse, sources, systematic substitutions."
        ),
    ] = False,
    skip_bad: SkipBadOption = False,
    lexical_only: Annotated[
        bool,
        typer.Option(
            "--lexical-only",
            help="Words only, no model: no semantic stage, pairs verified by their words. "
            "Finds verbatim, trimmed and edited copies faster; misses most spun copies.",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes for the local engine. Default: one per core (up to 4) with "
            "--lexical-only; one otherwise, as the model already uses every core.",
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option("--engine", help="local (default) or spark (install wiretrace[spark])."),
    ] = Engine.local,
    master: Annotated[
        str, typer.Option("--master", help="Spark master URL (with --engine spark).")
    ] = "local[*]",
    conf: Annotated[
        list[str] | None,
        typer.Option(
            "--conf", help="Extra Spark setting key=value (repeatable; with --engine spark)."
        ),
    ] = None,
    partitions: Annotated[
        int, typer.Option("--partitions", min=1, help="Spark partitions (with --engine spark).")
    ] = 8,
    spark_output: Annotated[
        str | None,
        typer.Option(
            "--spark-output",
            help="Also write edges (Parquet) and families (JSON) under this Spark path.",
        ),
    ] = None,
) -> None:
    """Find the reprint families of a corpus: every group of articles derived from one source.

    Candidates come from shared sentences, MinHash and (unless --lexical-only) sentence vectors
    that catch paraphrased copies; every candidate pair is verified by the compare alignment.
    An article that merges two sources belongs to both families.

    Examples:

      wiretrace scan crawl/

      wiretrace scan articles.jsonl --outlets --format json -o families.json
    """
    from wiretrace.engines.local import scan as run_scan
    from wiretrace.report.families import render_families
    from wiretrace.scan.stages import ScanConfig

    config = ScanConfig(workers=workers, lexical=lexical_only)
    if engine is Engine.spark:
        if workers is not None:
            raise InputError(
                "--workers is for the local engine; with --engine spark, use --partitions"
            )
        result, documents = _scan_on_spark(
            inputs, config, master, conf or [], partitions, spark_output, outlets
        )
    else:
        documents = _read_corpus(inputs, skip_bad)
        if not documents:
            raise InputError("no documents to scan")
        with _stage_progress() as progress:
            result = run_scan(documents, config, outlets=outlets, progress=progress)
    meta = {d.id: (d.outlet, d.date) for d in documents}

    def html() -> str:
        from wiretrace.report.html import render_scan_html
        from wiretrace.scan.stages import collate_families

        by_id = {d.id: d for d in documents}
        return render_scan_html(result, meta, collate_families(result.families, by_id))

    _emit(
        format, output, result.to_dict, lambda console: render_families(result, console, meta), html
    )


index_app = typer.Typer(
    help="A persistent index that grows: add corpora in batches, query new articles against it.",
    no_args_is_help=True,
)
app.add_typer(index_app, name="index")
IndexArgument = Annotated[
    Path, typer.Argument(help="The index directory (created by the first add).", metavar="INDEX")
]


@index_app.command("add")
def index_add(
    index: IndexArgument,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Folders of .txt/.html files or .jsonl files, as for scan.", metavar="INPUT..."
        ),
    ],
    format: FormatOption = Format.text,
    skip_bad: SkipBadOption = False,
) -> None:
    """Add articles to an index (created if new).

    All or nothing: an interrupted add leaves the index as it was, and running it again completes
    it. Ids already stored are skipped, or updated when their text changed.

    Example:  wiretrace index add my-index crawl-2026-11.jsonl
    """
    from wiretrace.store.index import Index

    documents = _read_corpus(inputs, skip_bad)
    with Index.open(index, create=True) as store, _stage_progress() as progress:
        report = store.add(documents, progress=progress)
    if format is Format.json:
        from wiretrace.report.json import render_json

        sys.stdout.write(render_json({"schema": "wiretrace.index-add/1"} | report.to_dict()))
    else:
        print(
            f"{index}: {report.added} added, {report.updated} updated, {report.unchanged} already "
            f"there; {report.edges} new derived pairs; {report.documents} documents in the index."
        )


@index_app.command("query")
def index_query(
    index: IndexArgument,
    file: Annotated[
        str,
        typer.Argument(
            help="The article to look up (.txt, .html, or - for stdin).", metavar="FILE"
        ),
    ],
    format: FormatOption = Format.text,
    output: OutputOption = None,
) -> None:
    """Look up an article: the stored ones it derives from or that derive from it, best first.

    Example:  wiretrace index query my-index suspicious.html
    """
    from wiretrace.store.index import Index
    from wiretrace.text.documents import read_document

    document = read_document(file)
    with Index.open(index) as store:
        result = store.query(document)

    def render_text(console: Console) -> None:
        if not result.matches:
            console.print(f"No stored article derives from {document.id} or is derived from it.")
            return
        console.print(f"{len(result.matches)} stored articles share a source with {document.id}:")
        for m in result.matches:
            console.print(
                f"  {m.id}: {m.relation.replace('_', ' ')}, {m.shared_query:.0%} of the query and "
                f"{m.shared_match:.0%} of it shared" + (f"; family {m.family}" if m.family else "")
            )

    _emit(format, output, result.to_dict, render_text)


@index_app.command("families")
def index_families(
    index: IndexArgument, format: FormatOption = Format.text, output: OutputOption = None
) -> None:
    """The reprint families of everything in the index, as one scan of it all would find them.

    Example:  wiretrace index families my-index --format json
    """
    from wiretrace.report.families import render_families
    from wiretrace.store.index import Index

    with Index.open(index) as store, _stage_progress() as progress:
        result = store.families(progress=progress)
        meta = {
            m: (d.outlet, d.date)
            for f in result.families
            for m in f.members
            for d in [store.document(m)]
        }
    _emit(format, output, result.to_dict, lambda console: render_families(result, console, meta))


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(help="Address to listen on; other than 127.0.0.1 exposes it to the network."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
    index: Annotated[
        Path | None, typer.Option("--index", help="An index directory to browse and query.")
    ] = None,
) -> None:
    """Start the web UI (compare, collate, scan; an index's families and queries) and its JSON API.

    Needs the web extra: pip install "wiretrace[web]". Listens on this machine only unless --host
    says otherwise. The API is described at /api/openapi.json.

    Example:  wiretrace serve --index my-index
    """
    try:
        from wiretrace.web.app import serve as run_server
    except ImportError:
        raise InputError('the web UI needs the web extra: pip install "wiretrace[web]"') from None
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise InputError('the web UI needs the web extra: pip install "wiretrace[web]"') from None
    run_server(host, port, not no_browser, index)


def _scan_on_spark(
    inputs: list[str],
    config: Any,
    master: str,
    conf: list[str],
    partitions: int,
    output: str | None,
    outlets: bool,
) -> tuple[Any, list[Any]]:
    """Run the scan on Spark; JSONL or Parquet inputs are read by Spark itself."""
    from wiretrace.engines.spark import frame_of, read_corpus, scan_spark, session
    from wiretrace.text.corpus import read_documents

    settings = {}
    for item in conf:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--conf takes key=value, got {item!r}")
        settings[key.strip()] = value.strip()
    spark = session(master, settings)
    if len(inputs) == 1 and inputs[0].rstrip("/").endswith((".jsonl", ".json", ".parquet")):
        frame = read_corpus(spark, inputs[0])
        documents: list[Any] = []  # not collected: the report needs only ids
    else:
        documents = read_documents(inputs)
        frame = frame_of(spark, documents, partitions)
    result = scan_spark(spark, frame, config, partitions=partitions, output=output, outlets=outlets)
    if not documents:
        from wiretrace.text.documents import Document

        members = sorted({m for f in result.families for m in f.members})
        rows = (
            frame.filter(frame.id.isin(members)).select("id", "outlet", "date").collect()
            if members
            else []
        )
        documents = [Document(r.id, "", r.outlet, r.date) for r in rows]
    return result, documents


def _emit(
    format: Format,
    output: Path | None,
    payload: Callable[[], dict[str, object]],
    render_text: Callable[[Console], None],
    render_html: Callable[[], str] | None = None,
) -> None:
    """Write a result as JSON, HTML or text for a person, to standard output or to ``output``."""
    if format is Format.html and render_html is None:
        raise InputError("--format html is not available for this command; use text or json")

    def render(stream: TextIO | None) -> str | None:
        if format is Format.html:
            assert render_html is not None
            return render_html()
        if format is Format.json:
            from wiretrace.report.json import render_json

            return render_json(payload())
        from rich.console import Console

        console = (
            Console(file=stream, width=110, no_color=True) if stream is not None else Console()
        )
        if stream is None and not console.is_terminal:
            console.width = 110  # piped: a fixed, readable width instead of 80 columns
        render_text(console)
        return None

    _write(output, render)


@contextlib.contextmanager
def _stage_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar per stage (``progress(stage, done, total)``) on stderr, if a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda stage, done, total: None
        return
    with Progress(
        "[bold]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield update


@contextlib.contextmanager
def _progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """One progress bar on stderr for long work; silent when stderr is not a terminal."""
    with _stage_progress() as update:
        yield lambda done, total: update(description, done, total)


def _fail(message: str, code: int) -> NoReturn:
    print(f"wiretrace: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; every failure becomes one line on stderr and an exit code."""
    try:
        app(args=argv, standalone_mode=False, prog_name="wiretrace")
    except typer.Exit as done:
        raise SystemExit(done.exit_code) from None
    except typer.Abort:
        _fail("interrupted", 130)
    except typer.TyperException as error:  # typer's usage errors (missing argument, bad option…)
        ctx = getattr(error, "ctx", None)
        command = ctx.command_path if ctx is not None else "wiretrace"
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        if not message.strip():  # bare `wiretrace`: the help was the message
            raise SystemExit(getattr(error, "exit_code", 2)) from None
        _fail(f"{message} (see '{command} --help')", getattr(error, "exit_code", 2))
    except InputError as error:
        _fail(str(error), 2)
    except ModelError as error:
        _fail(str(error), 1)
    except WiretraceError as error:
        _fail(str(error), 2)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(0) from None
    except Exception as error:  # the last line of defence: no traceback for a user
        _fail(f"internal error: {type(error).__name__}: {error} (please report it)", 1)


if __name__ == "__main__":
    main()

"""The command line: thin commands that call the library and turn its errors into one clear line.

Built on the standard library's argparse: it starts fast (a comparison is a fraction of a second
as a whole process) and its help is written out here as a user reads it, a short manual per
command: what it does, examples, each option in words.

Exit codes: 0 done, 1 internal error, 2 bad usage or bad input (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from wiretrace import __version__
from wiretrace.errors import InputError, ModelError, WiretraceError

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("text", "json", "html")
WIDTH = 100


class UsageError(Exception):
    """A command line that cannot be run as typed; the message says why."""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one line (see :func:`main`), never as a usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(_plain(message), self.prog)


def _plain(message: str) -> str:
    """argparse's wording, said plainly: "missing argument B", "no command 'x'"."""
    if message.startswith("the following arguments are required: "):
        names = message.split(": ", 1)[1]
        return f"missing argument {names}" if "," not in names else f"missing arguments {names}"
    if message.startswith("argument ") and ": " in message:
        option, reason = message[len("argument ") :].split(": ", 1)
        if reason.startswith("invalid choice: "):
            given = reason[len("invalid choice: ") :].split(" (choose from ")[0]
            choices = reason.split(" (choose from ", 1)[1].rstrip(")").replace("'", "")
            kind = "command" if option in ("COMMAND", "SUBCOMMAND") else f"choice for {option}"
            return f"no {kind} {given}; the choices are {choices}"
        if reason.startswith("expected one argument"):
            return f"{option.split('/')[-1]} needs a value"
        return reason
    if message.startswith("unrecognized arguments: "):
        return f"unknown option or extra argument: {message.split(': ', 1)[1]}"
    return message


class _Help(argparse.RawDescriptionHelpFormatter):
    """Help as written: paragraphs kept, options wrapped to the width, no type placeholders."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=28, width=WIDTH)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return [line for part in text.split("\n") for line in textwrap.wrap(part, width) or [""]]


def _parser(parent: Any, name: str, summary: str, description: str, examples: list[str]) -> _Parser:
    """A command: a one-line summary for the list of commands, a description and examples."""
    text = textwrap.dedent(description).strip()
    if examples:
        text += "\n\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
    parser: _Parser = parent.add_parser(
        name, help=summary, description=text, formatter_class=_Help, add_help=False
    )
    parser.add_argument("-h", "--help", action="help", help="Show this help and exit.")
    return parser


def _format_option(parser: argparse.ArgumentParser, formats: tuple[str, ...] = FORMATS) -> None:
    words = {
        "text": "text for a person (the default)",
        "json": "JSON for scripts (the contract in the README)",
        "html": "a self-contained HTML page to open in a browser",
    }
    parser.add_argument(
        "-f",
        "--format",
        default="text",
        metavar="FORMAT",
        type=_choice("--format", formats),
        help="How to write the result: " + "; ".join(f"{f}, {words[f]}" for f in formats) + ".",
    )


def _choice(option: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in choices:
            raise argparse.ArgumentTypeError(
                f"{option} takes {', '.join(choices[:-1])} or {choices[-1]}, not {value!r}"
            )
        return value.lower()

    return parse


def _output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="Write the result to FILE (written whole or not at all) instead of standard output.",
    )


def _skip_bad_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="Go on past bad records (broken JSONL lines, unreadable files, duplicate ids) and "
        "say how many were skipped and why. Without it, the first bad record stops the command.",
    )


def _positive(option: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{option} takes a whole number, not {value!r}"
            ) from None
        if number < 1:
            raise argparse.ArgumentTypeError(f"{option} takes 1 or more, not {number}")
        return number

    return parse


def _port(value: str) -> int:
    number = _positive("--port")(value)
    if number > 65535:
        raise argparse.ArgumentTypeError(f"--port takes 1 to 65535, not {number}")
    return number


def build_parser() -> _Parser:
    """The whole command line: every command, its options and its help."""
    parser = _Parser(
        prog="wiretrace",
        description=textwrap.dedent(
            """\
            Trace news text reuse: align a copy with its source and say what was done to each
            passage (copied verbatim, edited, paraphrased, added, dropped), whether one text
            derives from the other or both only report the same event, and which words,
            quotations and facts were changed on purpose.

            Run `wiretrace COMMAND --help` for a command's manual."""
        ),
        epilog="Example:  wiretrace compare agency.txt reprint.txt",
        formatter_class=_Help,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="Show this help and exit.")
    parser.add_argument(
        "--version", action="version", version=f"wiretrace {__version__}", help="Show the version."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    compare = _parser(
        commands,
        "compare",
        "Two versions of a story, passage by passage: derived or not, and what changed.",
        """\
        Align two versions of a story passage by passage and say what happened to each: copied
        verbatim (=), lightly edited (~), paraphrased (≈), only in A (-), only in B (+), moved.
        First comes the verdict (derived: one copies the other or both copy one source; or only
        the same event; or unrelated) with its confidence, a calibrated probability; then the
        copied passages, the findings (systematic word substitutions, altered quotations, facts
        that drifted, names dropped) and both texts side by side.

        A and B are text files (UTF-8; cp1252 and latin-1 are read with a notice), HTML pages
        (the article text is extracted), or - for standard input.""",
        [
            "wiretrace compare afp.txt copy.txt",
            "wiretrace compare afp.txt copy.html --format html -o report.html",
            "wiretrace compare afp.txt copy.txt --format json | jq .verdict",
            "curl -s URL | wiretrace compare afp.txt -",
        ],
    )
    compare.add_argument("a", metavar="A", help="The first version (a file, or -).")
    compare.add_argument("b", metavar="B", help="The second version (a file, or -).")
    _format_option(compare)
    _output_option(compare)
    compare.set_defaults(run=_compare)

    collate = _parser(
        commands,
        "collate",
        "Many versions of one story: their consensus, how each departs from it, the origin.",
        """\
        Collate many versions of one story. Each passage's consensus is taken word by word by
        majority, so the version that changed a word is the one said to change it ("replaces
        “Israel” with “Zionist entity”"); the likely origin is the version closest to the
        consensus, with the evidence in words. The result does not depend on the order of the
        versions. JSONL records may carry "outlet" and "date"; dates break ties for the origin.

        VERSION is a text or HTML file, a folder of them, or a .jsonl file of
        {"id", "text", "outlet"?, "date"?} records; give two or more versions in all.""",
        [
            "wiretrace collate afp.txt outlet1.txt outlet2.html",
            "wiretrace collate versions/ --format json -o collation.json",
            "wiretrace collate story.jsonl --format html -o collation.html",
        ],
    )
    collate.add_argument("versions", nargs="+", metavar="VERSION", help="Two or more versions.")
    _format_option(collate)
    _output_option(collate)
    _skip_bad_option(collate)
    collate.set_defaults(run=_collate)

    scan = _parser(
        commands,
        "scan",
        "A corpus: every reprint family (articles derived from one source), spun copies too.",
        """\
        Find the reprint families of a corpus: every group of articles derived from one source.
        Candidates come from shared sentences, MinHash and (unless --lexical-only) sentence
        vectors that catch paraphrased copies; every candidate pair is then verified by the
        compare verdict. An article that merges two sources belongs to both families; each
        family's likely origin is named. A long scan shows its progress on the terminal.

        INPUT is a folder of .txt/.html files (the id is the file name) or a .jsonl file of
        {"id", "text", "outlet"?, "date"?, "title"?, "url"?} records; several may be given.""",
        [
            "wiretrace scan crawl/",
            "wiretrace scan articles.jsonl --outlets --format json -o families.json",
            "wiretrace scan big.jsonl --engine spark --master spark://host:7077 --partitions 64",
        ],
    )
    scan.add_argument("inputs", nargs="+", metavar="INPUT", help="Folders or .jsonl files.")
    _format_option(scan)
    _output_option(scan)
    scan.add_argument(
        "--outlets",
        action="store_true",
        help='Add a profile of each outlet (documents need an "outlet"): how much of its text '
        "is reused, whose stories it copies, and the substitutions it makes systematically.",
    )
    _skip_bad_option(scan)
    scan.add_argument(
        "--lexical-only",
        action="store_true",
        help="Words only, no model: no sentence vectors, pairs verified by their words. Finds "
        "verbatim, trimmed and edited copies several times faster; misses most spun copies.",
    )
    scan.add_argument(
        "--workers",
        type=_positive("--workers"),
        metavar="N",
        help="Processes for the local engine. Default: one per core (up to 4) with "
        "--lexical-only; one otherwise, as the model already uses every core.",
    )
    scan.add_argument(
        "--engine",
        default="local",
        metavar="ENGINE",
        type=_choice("--engine", ("local", "spark")),
        help="local (the default: this machine) or spark (a Spark cluster; needs "
        "pip install 'wiretrace[spark]'). Both find the same families.",
    )
    scan.add_argument(
        "--master",
        default="local[*]",
        metavar="URL",
        help="With --engine spark: the Spark master URL (default local[*], this machine).",
    )
    scan.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="With --engine spark: a Spark setting, e.g. spark.executor.memory=8g (repeatable).",
    )
    scan.add_argument(
        "--partitions",
        type=_positive("--partitions"),
        default=8,
        metavar="N",
        help="With --engine spark: how many partitions the corpus is split into (default 8).",
    )
    scan.add_argument(
        "--spark-output",
        metavar="PATH",
        help="With --engine spark: also write the edges (Parquet) and families (JSON) there.",
    )
    scan.set_defaults(run=_scan)

    index = _parser(
        commands,
        "index",
        "A persistent index that grows: add corpora in batches, query new articles against it.",
        """\
        An index is a directory that articles are added to in batches and queried against; it
        finds the same families as one scan of everything added. Adds are all or nothing.""",
        [
            "wiretrace index add my-index crawl-2026-11.jsonl",
            "wiretrace index query my-index suspicious.html",
            "wiretrace index families my-index --format json",
        ],
    )
    index_commands = index.add_subparsers(
        dest="index_command", metavar="SUBCOMMAND", title="subcommands"
    )

    add = _parser(
        index_commands,
        "add",
        "Add articles to an index (created if new).",
        """\
        Add articles to an index, creating it if the directory is new or empty. All or nothing:
        an interrupted add leaves the index as it was, and running it again completes it. Ids
        already stored are skipped, or updated when their text changed. A second process adding
        at the same time is refused.""",
        ["wiretrace index add my-index crawl-2026-11.jsonl"],
    )
    add.add_argument("index", type=Path, metavar="INDEX", help="The index directory.")
    add.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="Folders or .jsonl files, as for scan."
    )
    _format_option(add, ("text", "json"))
    _skip_bad_option(add)
    add.set_defaults(run=_index_add)

    query = _parser(
        index_commands,
        "query",
        "Look an article up: the stored articles it derives from or that derive from it.",
        """\
        Look an article up in an index: the stored articles it derives from, or that derive from
        it, best match first, each with how much of one the other carries.""",
        [
            "wiretrace index query my-index suspicious.html",
            "curl -s URL | wiretrace index query my-index -",
        ],
    )
    query.add_argument("index", type=Path, metavar="INDEX", help="The index directory.")
    query.add_argument("file", metavar="FILE", help="The article (.txt, .html, or - for stdin).")
    _format_option(query, ("text", "json"))
    _output_option(query)
    query.set_defaults(run=_index_query)

    families = _parser(
        index_commands,
        "families",
        "The reprint families of everything in an index.",
        """\
        The reprint families of everything added to an index, as one scan of it all would find
        them, with each family's likely origin (worked out once, then kept).""",
        ["wiretrace index families my-index --format json -o families.json"],
    )
    families.add_argument("index", type=Path, metavar="INDEX", help="The index directory.")
    _format_option(families, ("text", "json"))
    _output_option(families)
    families.set_defaults(run=_index_families)

    serve = _parser(
        commands,
        "serve",
        "The web UI (compare, collate, scan, an index) and its JSON API, in your browser.",
        """\
        Start the web UI and its JSON API (described at /api/openapi.json). It listens on this
        machine only unless --host says otherwise, and has no login. Needs the web extra:
        pip install 'wiretrace[web]'.""",
        ["wiretrace serve", "wiretrace serve --index my-index --port 8800 --no-browser"],
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="The address to listen on (default 127.0.0.1: this machine only; anything else "
        "lets others on the network use it).",
    )
    serve.add_argument(
        "--port", type=_port, default=8765, metavar="PORT", help="The port (default 8765)."
    )
    serve.add_argument(
        "--no-browser", action="store_true", help="Do not open a browser on the page."
    )
    serve.add_argument(
        "--index", type=Path, metavar="DIR", help="An index directory to browse and query."
    )
    serve.set_defaults(run=_serve)
    return parser


# -- the commands ------------------------------------------------------------------------------


def _read_corpus(inputs: list[str], skip_bad: bool) -> list[Any]:
    """Read documents; with --skip-bad, report the skipped ones in one line on stderr."""
    from wiretrace.text.corpus import SkipReport, read_documents

    skips = SkipReport() if skip_bad else None
    documents = read_documents(inputs, on_bad=skips)
    if skips is not None and (summary := skips.summary()):
        print(f"wiretrace: note: {summary}", file=sys.stderr)
    return documents


def _compare(args: argparse.Namespace) -> None:
    if args.a == "-" and args.b == "-":
        raise InputError("only one of A and B can be - (standard input)")
    from wiretrace.comparer import Comparer
    from wiretrace.report.html import render_compare_html
    from wiretrace.report.text import render_comparison
    from wiretrace.text.documents import read_document

    result = Comparer().compare(read_document(args.a), read_document(args.b))
    _emit(
        args.format,
        args.output,
        result.to_dict,
        lambda console: render_comparison(result, console),
        lambda: render_compare_html(result),
    )


def _collate(args: argparse.Namespace) -> None:
    from wiretrace.collate import Collator
    from wiretrace.report.collation import render_collation
    from wiretrace.report.html import render_collate_html

    documents = _read_corpus(args.versions, args.skip_bad)
    if len(documents) < 2:
        raise InputError(f"collate needs at least two versions; got {len(documents)}")
    with _progress("aligning versions") as advance:
        result = Collator().collate(documents, progress=advance)
    _emit(
        args.format,
        args.output,
        result.to_dict,
        lambda console: render_collation(result, console),
        lambda: render_collate_html(result),
    )


def _scan(args: argparse.Namespace) -> None:
    from wiretrace.engines.local import scan as run_scan
    from wiretrace.report.families import render_families
    from wiretrace.scan.stages import ScanConfig

    config = ScanConfig(workers=args.workers, lexical=args.lexical_only)
    if args.engine == "spark":
        if args.workers is not None:
            raise InputError(
                "--workers is for the local engine; with --engine spark, use --partitions"
            )
        result, documents = _scan_on_spark(
            args.inputs,
            config,
            args.master,
            args.conf,
            args.partitions,
            args.spark_output,
            args.outlets,
        )
    else:
        documents = _read_corpus(args.inputs, args.skip_bad)
        if not documents:
            raise InputError("no documents to scan")
        with _stage_progress() as progress:
            result = run_scan(documents, config, outlets=args.outlets, progress=progress)
    meta = {d.id: (d.outlet, d.date) for d in documents}

    def html() -> str:
        from wiretrace.report.html import render_scan_html
        from wiretrace.scan.stages import collate_families

        by_id = {d.id: d for d in documents}
        return render_scan_html(result, meta, collate_families(result.families, by_id))

    _emit(
        args.format,
        args.output,
        result.to_dict,
        lambda console: render_families(result, console, meta),
        html,
    )


def _index_add(args: argparse.Namespace) -> None:
    from wiretrace.store.index import Index

    documents = _read_corpus(args.inputs, args.skip_bad)
    with Index.open(args.index, create=True) as store, _stage_progress() as progress:
        report = store.add(documents, progress=progress)
    if args.format == "json":
        from wiretrace.report.json import render_json

        sys.stdout.write(render_json({"schema": "wiretrace.index-add/1"} | report.to_dict()))
    else:
        print(
            f"{args.index}: {report.added} added, {report.updated} updated, {report.unchanged} "
            f"already there; {report.edges} new derived pairs; {report.documents} documents in "
            "the index."
        )


def _index_query(args: argparse.Namespace) -> None:
    from wiretrace.report.summary import relation_label
    from wiretrace.store.index import Index
    from wiretrace.text.documents import read_document

    document = read_document(args.file)
    with Index.open(args.index) as store:
        result = store.query(document)

    def render_text(console: Console) -> None:
        if not result.matches:
            console.print(f"No stored article derives from {document.id} or is derived from it.")
            return
        many = len(result.matches)
        console.print(
            f"{many} stored article{'s' if many != 1 else ''} share{'' if many != 1 else 's'} "
            f"a source with {document.id}, the closest first:"
        )
        for m in result.matches:
            console.print(
                f"  {m.id}: {relation_label(m.relation)}; it carries {m.shared_query:.0%} of the "
                f"query, the query carries {m.shared_match:.0%} of it"
                + (f"; family {m.family}" if m.family else "")
            )

    _emit(args.format, args.output, result.to_dict, render_text)


def _index_families(args: argparse.Namespace) -> None:
    from wiretrace.report.families import render_families
    from wiretrace.store.index import Index

    with Index.open(args.index) as store, _stage_progress() as progress:
        result = store.families(progress=progress)
        meta = {
            m: (d.outlet, d.date)
            for f in result.families
            for m in f.members
            for d in [store.document(m)]
        }
    _emit(
        args.format,
        args.output,
        result.to_dict,
        lambda console: render_families(result, console, meta),
    )


def _serve(args: argparse.Namespace) -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401

        from wiretrace.web.app import serve as run_server
    except ImportError:
        raise InputError("the web UI needs the web extra: pip install 'wiretrace[web]'") from None
    run_server(args.host, args.port, not args.no_browser, args.index)


# -- writing -------------------------------------------------------------------------------------


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
    format: str,
    output: Path | None,
    payload: Callable[[], dict[str, object]],
    render_text: Callable[[Console], None],
    render_html: Callable[[], str] | None = None,
) -> None:
    """Write a result as JSON, HTML or text for a person, to standard output or to ``output``."""
    if format == "html" and render_html is None:
        raise InputError("--format html is not available for this command; use text or json")

    def render(stream: TextIO | None) -> str | None:
        if format == "html":
            assert render_html is not None
            return render_html()
        if format == "json":
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
    """Entry point: run a command; every failure becomes one line on stderr and an exit code."""
    parser = build_parser()
    arguments = sys.argv[1:] if argv is None else argv
    try:
        args, extra = parser.parse_known_args(arguments)
        if extra:
            command = " ".join(
                [
                    "wiretrace",
                    *[c for c in (args.command, getattr(args, "index_command", None)) if c],
                ]
            )
            raise UsageError(f"unknown option or extra argument: {' '.join(extra)}", command)
        if getattr(args, "run", None) is None:
            # `wiretrace` or `wiretrace index` alone: the help is what was asked for.
            subcommand = ["index"] if args.command == "index" else []
            parser.parse_args([*subcommand, "--help"])
        args.run(args)
    except UsageError as error:
        _fail(f"{error} (see '{error.command} --help')", 2)
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
    except SystemExit:
        raise
    except Exception as error:  # the last line of defence: no traceback for a user
        _fail(f"internal error: {type(error).__name__}: {error} (please report it)", 1)


if __name__ == "__main__":
    main()

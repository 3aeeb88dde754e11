"""The ``tipgraph`` command line: a thin layer over the library."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from tipgraph.errors import EXIT_FAILURE, CacheError, InputError, TipgraphError
from tipgraph.output import FORMATS, READING_FORMATS, integer_literal, render
from tipgraph.paths import Layout
from tipgraph.tables import MIN_WIDTH
from tipgraph.timeouts import ENDPOINT_TIMEOUT, LOCAL_TIMEOUT, MAX_ROWS

if TYPE_CHECKING:
    from tipgraph.acronyms import AcronymLookup

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Settings:
    """Options of the command group, shared with every command."""

    def __init__(
        self, layout_options: dict, debug: bool, cache: Path | None = None, use_cache: bool = True
    ) -> None:
        self.layout_options = layout_options
        self.debug = debug
        self.cache = cache
        self.use_cache = use_cache

    @functools.cached_property
    def layout(self) -> Layout:
        return Layout.resolve(**self.layout_options)

    def index(self):
        from tipgraph.index import Index, default_cache_root

        return Index(self.layout, self.cache or default_cache_root())

    @functools.cached_property
    def store(self):
        """The local engine: the on-disk index (fresh), or with --no-cache the files parsed
        into memory. Loaded only by the commands that read the graph."""
        from tipgraph.store import load_store

        if not self.use_cache:
            return load_store(self.layout)
        try:
            return self.index().open()
        except CacheError as error:
            click.echo(f"tipgraph: warning: {error}; reading the files instead", err=True)
            return load_store(self.layout)


pass_settings = click.make_pass_decorator(Settings)


WIDTH_KEY = "tipgraph.width"


def _remember_width(ctx: click.Context, param: click.Parameter, value: int | None) -> None:
    if value is not None and 0 < value < MIN_WIDTH:
        raise click.BadParameter(f"give 0 (no limit) or at least {MIN_WIDTH}", ctx, param)
    ctx.meta[WIDTH_KEY] = value


def output_options(command):
    """The one set of output options that every command printing rows takes.

    --width reaches :func:`emit` through the context, so commands need no parameter for it.
    """
    command = click.option(
        "--width",
        type=click.IntRange(min=0),
        metavar="N",
        expose_value=False,
        callback=_remember_width,
        help="Fit tables in N columns; 0 for no limit [default: the terminal's width].",
    )(command)
    command = click.option(
        "--full-iris", is_flag=True, help="Print whole IRIs in table and markdown output."
    )(command)
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format [default: table on a terminal, tsv otherwise]. Table and markdown "
        "show names with their acronyms; the other formats give the values as the query does.",
    )(command)


class Seconds(click.ParamType):
    """A timeout: a finite number of seconds, more than 0 and at most a day."""

    name = "seconds"

    def convert(self, value, param, ctx):
        from tipgraph.timeouts import timeout_problem

        if isinstance(value, float):
            return value
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        problem = timeout_problem(seconds)
        if problem:
            self.fail(problem, param, ctx)
        return seconds


def timeout_option(help_text: str):
    """--timeout, in seconds, for the commands that talk to a server: a deadline for each
    request as a whole."""
    return click.option(
        "--timeout",
        type=Seconds(),
        default=ENDPOINT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help=help_text,
    )


def endpoint_options(command):
    """--endpoint and the limits of a query: --timeout, --max-rows, --allow-service."""
    command = click.option(
        "--allow-service",
        "allow_service",
        metavar="HOST",
        multiple=True,
        help="Let a local query's SERVICE calls reach this host; repeat for several "
        "[default: SERVICE is refused].",
    )(command)
    command = click.option(
        "--max-rows",
        type=int,
        default=MAX_ROWS,
        show_default=True,
        metavar="N",
        help="Fail when a local query's answer has more rows (or triples) than this.",
    )(command)
    command = click.option(
        "--timeout",
        type=Seconds(),
        default=None,
        metavar="SECONDS",
        help=f"Time limit: for a local query {LOCAL_TIMEOUT:g}, for the endpoint's "
        f"answer {ENDPOINT_TIMEOUT:g} [default: by route].",
    )(command)
    return click.option(
        "--endpoint",
        metavar="URL",
        envvar="TIPGRAPH_ENDPOINT",
        help="Run on this SPARQL endpoint instead of the local graph [env TIPGRAPH_ENDPOINT].",
    )(command)


def query_timeout(timeout: float | None, endpoint: str | None) -> float:
    """The --timeout given (checked by its option type), or the default of the route."""
    if timeout is None:
        return ENDPOINT_TIMEOUT if endpoint else LOCAL_TIMEOUT
    return timeout


def _end_now(message: str, code: int) -> NoReturn:
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    click.echo(message, err=True)
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    os._exit(code)


@contextlib.contextmanager
def bounded_query():
    """A local query stopped at its time limit or by Ctrl-C may go on running inside the
    engine, which cannot be interrupted: the process then ends at once."""
    from tipgraph.errors import QueryTimeout

    try:
        yield
    except QueryTimeout as error:
        _end_now(f"tipgraph: error: {error}", error.exit_code)
    except KeyboardInterrupt:
        _end_now("tipgraph: interrupted", 130)


def table_width() -> int | None:
    """The width tables fit in: --width (0 for none), else the terminal's (COLUMNS first)
    when standard output is one, else none."""
    context = click.get_current_context(silent=True)
    chosen = context.meta.get(WIDTH_KEY) if context is not None else None
    if chosen is not None:
        return chosen or None
    if not sys.stdout.isatty():
        return None
    import shutil

    return max(MIN_WIDTH, shutil.get_terminal_size().columns)


def emit(
    variables, rows, fmt: str | None, full_iris: bool, names: AcronymLookup | None = None
) -> None:
    """Print rows; with ``names`` (the acronyms of the graph the answer came from), the formats
    for reading show each name with its acronym (:mod:`tipgraph.acronyms`)."""
    chosen = fmt or ("table" if sys.stdout.isatty() else "tsv")
    width = table_width() if chosen == "table" else None
    if names is not None and chosen in READING_FORMATS:
        from tipgraph.acronyms import with_acronyms

        rows = with_acronyms(names, variables, rows)
    click.echo(render(variables, rows, chosen, full_iris=full_iris, width=width), nl=False)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def os_error_message(error: OSError) -> str:
    """An ordinary I/O error (permission denied, disk full) as one line naming the file."""
    reason = error.strerror or str(error) or type(error).__name__
    names = [name for name in (error.filename, error.filename2) if name is not None]
    where = " → ".join(os.fsdecode(name) for name in names)
    return one_line(f"{where}: {reason}" if where else f"{reason}")


class TipgraphGroup(click.Group):
    """Turns TipgraphError into one line on stderr with its exit code; --debug shows tracebacks.

    Usage errors, which click prints as usage, hint and message, are one line too (exit 2).
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            hint = ""
            if error.ctx is not None:
                hint = f" (see '{error.ctx.command_path} --help')"
            click.echo(f"tipgraph: error: {one_line(error.format_message())}{hint}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"tipgraph: error: {one_line(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("tipgraph: interrupted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TipgraphError as error:
            settings = ctx.find_object(Settings)
            if settings is not None and settings.debug:
                raise
            click.echo(f"tipgraph: error: {error}", err=True)
            ctx.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("tipgraph: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # The reader stopped early (`| head`): not an error of ours; say nothing more.
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the final flush
            ctx.exit(EXIT_FAILURE)
        except OSError as error:
            settings = ctx.find_object(Settings)
            if settings is not None and settings.debug:
                raise
            click.echo(f"tipgraph: error: {os_error_message(error)}", err=True)
            ctx.exit(EXIT_FAILURE)
        except Exception as error:
            settings = ctx.find_object(Settings)
            if settings is not None and settings.debug:
                raise
            click.echo(
                f"tipgraph: internal error: {type(error).__name__}: {error} (run with --debug "
                "for the traceback)",
                err=True,
            )
            ctx.exit(EXIT_FAILURE)


def folder_option(name: str, what: str):
    """--NAME FOLDER, also from TIPGRAPH_NAME."""
    variable = f"TIPGRAPH_{name.upper()}"
    return click.option(
        f"--{name}",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=variable,
        help=f"{what} [env {variable}].",
    )


@click.group(cls=TipgraphGroup, context_settings=CONTEXT)
@folder_option("ontology", "Ontology folder")
@folder_option("data", "Data folder")
@folder_option("queries", "Saved-query folder")
@folder_option("sources", "Source-text folder")
@folder_option("cache", "Folder of the persistent index (default: the user cache folder)")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse the Turtle files into memory instead of using the persistent index.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="tipgraph")
@click.pass_context
def main(
    ctx: click.Context, ontology, data, queries, sources, cache, no_cache: bool, debug: bool
) -> None:
    """tipgraph: a cited knowledge graph of regional cooperation against trafficking in persons.

    \b
    Examples:
      tipgraph query mechanisms-covering-men-and-boys
      tipgraph validate
      tipgraph describe commit-mekong

    Exit codes: 0 success, 1 the data does not conform or a query failed, 2 a usage or input
    error.
    """
    ctx.obj = Settings(
        {"ontology": ontology, "data": data, "queries": queries, "sources": sources},
        debug,
        cache,
        not no_cache,
    )


@main.command("queries", context_settings=CONTEXT)
@output_options
@pass_settings
def list_queries(settings: Settings, fmt, full_iris) -> None:
    """List the saved queries with their summary and parameters.

    A query file that cannot be read is left out with one warning line on stderr naming its
    file and line (exit 1); the others are listed and run all the same.

    JSON (and JSONL) output describes each parameter as an object: name, type, required,
    default, kind (concept, resource or the literal type), and the values a concept parameter
    allows or a resource parameter suggests.

    \b
    Example:
      tipgraph queries --format markdown
    """
    import pyoxigraph as ox

    from tipgraph.catalogue import Catalogue

    good, bad = Catalogue(settings.layout.queries).load()
    if fmt in ("json", "jsonl"):
        emit_query_listing(good, settings.store, fmt)
    else:
        rows = []
        for query in good:
            parameters = "; ".join(
                f"{p.name} ({p.type}{', required' if p.required else ''}"
                f"{f', default {p.default}' if p.default is not None else ''})"
                + (f": {p.description}" if p.description else "")
                for p in query.parameters
            )
            rows.append((ox.Literal(query.name), ox.Literal(query.summary), ox.Literal(parameters)))
        emit(["name", "summary", "parameters"], rows, fmt, full_iris)
    for error in bad:
        click.echo(f"tipgraph: warning: {error}", err=True)
    if bad:
        sys.exit(EXIT_FAILURE)


def emit_query_listing(queries, store, fmt: str) -> None:
    """The saved queries as JSON objects, each parameter described as data (its type,
    default, and the values it allows or suggests)."""
    import json

    from tipgraph.parameter_info import describe_parameters

    listing = [
        {
            "name": query.name,
            "summary": query.summary,
            "description": query.description,
            "tags": list(query.tags),
            "parameters": [info.as_json() for info in describe_parameters(query, store)],
        }
        for query in queries
    ]
    if fmt == "json":
        click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
    else:
        for entry in listing:
            click.echo(json.dumps(entry, ensure_ascii=False))


def parse_parameter_values(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in pairs:
        if name in values:
            raise InputError(f"parameter {name} given twice")
        values[name] = value
    return values


@main.command(context_settings=CONTEXT)
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="A parameter value; repeat for several.",
)
@output_options
@endpoint_options
@pass_settings
def query(
    settings: Settings,
    name: str,
    params,
    fmt,
    full_iris,
    endpoint,
    timeout,
    max_rows,
    allow_service,
) -> None:
    """Run the saved query NAME (see `tipgraph queries`).

    A local query stops with an error at its time limit (--timeout) or when its answer has
    more than --max-rows rows, and SERVICE calls are refused unless --allow-service names
    their host.

    \b
    Examples:
      tipgraph query mechanisms-covering-men-and-boys
      tipgraph query instruments-by-organization -p organization saarc
      tipgraph query members-of -p mechanism SAARC --width 100
      tipgraph query instruments-adopted-between -p from 2002 -p to 2005 -f csv
      tipgraph query monitoring-bodies --endpoint http://localhost:7878/query
    """
    from tipgraph.catalogue import Catalogue
    from tipgraph.engine import run_saved_query

    timeout = query_timeout(timeout, endpoint)
    saved = Catalogue(settings.layout.queries).get(name)
    if endpoint:
        from tipgraph.endpoint import Endpoint
        from tipgraph.remote import acronyms_at
        from tipgraph.remote import run_saved_query as run_remote

        # Resource parameters are still resolved and checked against the local graph.
        local = settings.store if any(p.type == "resource" for p in saved.parameters) else None
        values = parse_parameter_values(params)
        remote = Endpoint.parse(endpoint, timeout)
        result = run_remote(remote, saved, values, local)
        names = acronyms_at(remote)
    else:
        from tipgraph.acronyms import in_store

        values = parse_parameter_values(params)
        with bounded_query():
            result = run_saved_query(
                settings.store,
                saved,
                values,
                timeout=timeout,
                max_rows=max_rows,
                allow_service=allow_service,
            )
        names = in_store(settings.store)
    emit(result.variables, result.rows, fmt, full_iris, names)


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.File("r", encoding="utf-8"))
@output_options
@endpoint_options
@pass_settings
def sparql(
    settings: Settings, file, fmt, full_iris, endpoint, timeout, max_rows, allow_service
) -> None:
    """Run an ad-hoc SPARQL query from FILE, or from standard input with `-`.

    The project's prefixes (tip:, id:, org:, eli:, skos:, theme:, target: …) are predefined,
    also on an endpoint. CONSTRUCT and DESCRIBE answers print as Turtle.

    A local query stops with an error at its time limit (--timeout) or when its answer has
    more than --max-rows rows or triples; SERVICE calls are refused unless --allow-service
    names their host, and text nested too deeply for the engine is refused.

    \b
    Examples:
      echo 'SELECT ?m WHERE { ?m a tip:Mechanism }' | tipgraph sparql -
      tipgraph sparql query.rq --endpoint http://localhost:7878/query
    """
    from tipgraph.engine import run_sparql

    timeout = query_timeout(timeout, endpoint)
    try:
        text = file.read()
    except UnicodeDecodeError as error:
        where = getattr(file, "name", "query")
        raise InputError(
            f"{where}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    if endpoint:
        from tipgraph.endpoint import Endpoint
        from tipgraph.remote import acronyms_at, run_query

        remote = Endpoint.parse(endpoint, timeout)
        result = run_query(remote, text, getattr(file, "name", "query"))
        names = acronyms_at(remote)
    else:
        from tipgraph.acronyms import in_store
        from tipgraph.sparql_text import check_query_shape, check_services

        name = getattr(file, "name", "query")
        # Refused text is refused before the graph is loaded.
        check_query_shape(text, name)
        check_services(text, allow_service, name)
        with bounded_query():
            result = run_sparql(
                settings.store,
                text,
                name,
                timeout=timeout,
                max_rows=max_rows,
                allow_service=allow_service,
            )
        names = in_store(settings.store)
    if result.triples is not None:
        from tipgraph.export import turtle_of

        sys.stdout.flush()
        sys.stdout.buffer.write(turtle_of(result.triples))
        return
    emit(result.variables, result.rows, fmt, full_iris, names)


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle", "sarif", "github"]),
    default="text",
    show_default=True,
    help="Report format: file:line lines, JSON, the SHACL report graph, SARIF 2.1.0, or "
    "GitHub Actions annotations.",
)
@click.option("--no-quotations", is_flag=True, help="Skip checking quotations against sources.")
@click.option(
    "--engine",
    type=click.Choice(["turbo", "pyshacl"]),
    default="turbo",
    show_default=True,
    help="SHACL engine: pyshacl-turbo (fast) or pySHACL (the reference); same report.",
)
@click.option(
    "--changed",
    is_flag=True,
    help="Report only on what differs from git HEAD (staged, unstaged, untracked .ttl files "
    "under the data and ontology folders), validated with the whole graph.",
)
@pass_settings
def validate(
    settings: Settings, paths, fmt: str, no_quotations: bool, engine: str, changed: bool
) -> None:
    """Validate the data (or the Turtle files and folders given) with the SHACL shapes.

    Every violation is reported with its file and line (the line of the offending triple
    where there is one, else where the node's block starts). Files inside the data folder are
    checked with the whole graph, and only their results are reported; other files (such as
    tests/data/invalid/*.ttl) are checked on their own with the ontology. --changed reports on
    the nodes the files changed since git HEAD define or mention (everything when an ontology
    or shapes file changed).

    Also checks that every source text is in the sources folder with its recorded SHA-256
    (see `tipgraph sources`), then every citation's quotation against it; a missing or changed
    source is a failure unless --no-quotations is given. Exit 0 when the data conforms, 1 when
    it does not or when the engine cannot run, 2 when a file is not Turtle.

    \b
    Examples:
      tipgraph validate
      tipgraph validate data/mechanisms/saarc.ttl
      tipgraph validate --changed
      tipgraph validate --format sarif > tipgraph.sarif
      tipgraph validate tests/data/invalid/coverage-claim-without-citation.ttl --format json
      tipgraph validate --engine pyshacl
    """
    from tipgraph.validation import TurtleSyntaxErrors, ValidationReport, expand_paths
    from tipgraph.validation import validate as run_validation

    if changed and paths:
        raise click.UsageError("give files or --changed, not both")
    scope = None
    if changed:
        from tipgraph.changes import changed as find_changes

        scope = find_changes(settings.layout).scope()
    files = expand_paths(list(paths)) if paths else None
    try:
        report = run_validation(
            settings.layout,
            files,
            check_quotations=not no_quotations,
            engine=engine,
            scope=scope,
        )
    except TurtleSyntaxErrors as error:
        if fmt != "turtle":
            broken = ValidationReport(
                conforms=False,
                violations=error.violations,
                files_checked=len(files) if files else len(settings.layout.data_files()),
            )
            click.echo(broken.render(fmt).rstrip("\n"))
        raise
    click.echo(report.render(fmt).rstrip("\n"))
    if not report.conforms:
        sys.exit(EXIT_FAILURE)


@main.command("sources", context_settings=CONTEXT)
@output_options
@pass_settings
def sources_command(settings: Settings, fmt, full_iris) -> None:
    """List the source texts: where each was looked for, whether it was found and matches.

    A source matches when its SHA-256 is one the data records for its document
    (tip:sourceSha256). Exit 1 when a source is missing or differs.

    \b
    Examples:
      tipgraph sources
      tipgraph sources --format csv
    """
    import pyoxigraph as ox

    from tipgraph.citations import MISSING, UNREADABLE, source_statuses

    statuses = source_statuses(settings.store, settings.layout.sources)
    rows = [
        (
            ox.NamedNode(status.document),
            ox.Literal(status.file),
            ox.Literal(str(status.path)),
            ox.Literal("no" if status.status in (MISSING, UNREADABLE) else "yes"),
            ox.Literal("yes" if status.ok else "no"),
        )
        for status in statuses
    ]
    emit(["document", "file", "location", "found", "matches"], rows, fmt, full_iris)
    for status in statuses:
        if not status.ok:
            click.echo(f"tipgraph: error: {status.describe()}", err=True)
    if not all(status.ok for status in statuses):
        sys.exit(EXIT_FAILURE)


@main.command(context_settings=CONTEXT)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (atomically) instead of standard output. Only a regular file is "
    "written: a symbolic link is followed (its target replaced, the link kept); a FIFO, "
    "device, read-only file or file with several hard links is refused.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "trig", "jsonld"]),
    default="turtle",
    show_default=True,
)
@click.option("--data-only", is_flag=True, help="Leave out the ontology and vocabularies.")
@pass_settings
def export(settings: Settings, output: Path | None, fmt: str, data_only: bool) -> None:
    """Export the graph, serialised deterministically, for loading into a triple store.

    TriG puts the ontology and vocabularies in the graph <https://w3id.org/tipgraph/graph/ontology>
    and the data in <https://w3id.org/tipgraph/graph/data>.

    \b
    Examples:
      tipgraph export -o tipgraph.ttl
      tipgraph export --format nt --data-only > data.nt
    """
    from tipgraph.export import export_bytes
    from tipgraph.writing import writable_target, write_atomically

    if output is not None:
        if not output.parent.is_dir():
            raise InputError(f"{output}: the folder {output.parent} does not exist")
        writable_target(output)  # refuse a FIFO, device or read-only file before the work
    content = export_bytes(settings.store, settings.layout, fmt, data_only=data_only)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        return
    write_atomically(output, content)
    click.echo(f"wrote {output}", err=True)


@main.command("push", context_settings=CONTEXT)
@click.option(
    "--store",
    metavar="URL",
    help="Graph Store Protocol endpoint; PUT replaces each graph (Oxigraph: …/store).",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="SPARQL Update endpoint instead, for stores without the Graph Store Protocol.",
)
@click.option("--graph", metavar="IRI", help="Put ontology and data together into this graph.")
@click.option(
    "--endpoint",
    metavar="URL",
    envvar="TIPGRAPH_ENDPOINT",
    help="Query endpoint for counting the triples [default: the store or update URL with its "
    "last path segment replaced by 'query'; env TIPGRAPH_ENDPOINT].",
)
@timeout_option("Seconds to wait for each request.")
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1024),
    default=64 * 1024,
    show_default=True,
    help="Bytes of N-Triples per INSERT DATA request with --update-endpoint.",
)
@output_options
@pass_settings
def push_command(
    settings: Settings, store, update_endpoint, graph, endpoint, timeout, chunk_size, fmt, full_iris
) -> None:
    """Load the ontology and data into a triple store, then check that it holds them as sent.

    The ontology and vocabularies go into <https://w3id.org/tipgraph/graph/ontology>, the data
    into <https://w3id.org/tipgraph/graph/data> (or both into --graph IRI), replacing what those
    graphs held. The saved queries read the default graph, so the store must serve the union
    of its named graphs there (Oxigraph: `oxigraph serve --union-default-graph`). Each graph
    is then counted and read back with CONSTRUCT. Credentials come from TIPGRAPH_USER and
    TIPGRAPH_PASSWORD or ~/.netrc, and go when the server asks (Basic or Digest). Exit 1 when
    a request fails, a count differs, or the store changed or lost a triple (named).

    \b
    Examples:
      oxigraph serve --location store --union-default-graph &
      tipgraph push --store http://localhost:7878/store
      tipgraph push --update-endpoint http://localhost:3030/tip/update
    """
    import pyoxigraph as ox

    from tipgraph.push import push

    if (store is None) == (update_endpoint is None):
        raise click.UsageError("give either --store URL or --update-endpoint URL")
    report = push(
        settings.layout,
        source=settings.store,
        store=store,
        update=update_endpoint,
        endpoint=endpoint or None,
        graph=graph,
        timeout=timeout,
        chunk_size=chunk_size,
        progress=lambda line: click.echo(line, err=True),
    )
    rows = [
        (ox.NamedNode(c.graph), integer_literal(c.local), integer_literal(c.store))
        for c in report.counts
    ]
    emit(["graph", "local", "store"], rows, fmt, full_iris)
    report.check()


@main.command(context_settings=CONTEXT)
@click.argument("resource")
@output_options
@pass_settings
def describe(settings: Settings, resource: str, fmt, full_iris) -> None:
    """Everything about one RESOURCE, with citations.

    RESOURCE is a slug, prefixed name or IRI, or a name or acronym as the graph gives it
    (label, alternative label, title, ISO 3166 code), compared without case or accents. A
    name of several resources lists them; an unknown one suggests close names.

    \b
    Examples:
      tipgraph describe saarc-convention
      tipgraph describe SAARC
      tipgraph describe greta --format json
      tipgraph describe "Council of Europe" --width 100
    """
    from tipgraph.describe import COLUMNS, describe_rows
    from tipgraph.parameters import resolve_resource

    iri = resolve_resource(resource, settings.store)
    emit(COLUMNS, describe_rows(settings.store, iri), fmt, full_iris)


@main.command("index", context_settings=CONTEXT)
@click.option("--force", is_flag=True, help="Rebuild even when the index is fresh.")
@pass_settings
def index_command(settings: Settings, force: bool) -> None:
    """Build or refresh the persistent index of the ontology and data, and say what was done.

    Every command that reads the graph refreshes the index by itself when a file was added,
    changed, renamed or removed; this command does it ahead of time (or always, with
    --force) and reports it. The index lives in --cache DIR (env TIPGRAPH_CACHE), by default
    the user cache folder.

    \b
    Examples:
      tipgraph index
      tipgraph --cache /tmp/tipgraph-cache index --force
    """
    if not settings.use_cache:
        raise click.UsageError("--no-cache and index exclude each other")
    index = settings.index()
    reason = "rebuild asked for" if force else index.stale_reason()
    if reason is None:
        click.echo(f"index is fresh: {index.folder}")
        return
    report = index.build(reason)
    click.echo(
        f"indexed {report.triples} triples from {report.files} files in {report.seconds:.2f} s "
        f"({report.reason}): {report.folder}"
    )


@main.command(context_settings=CONTEXT)
@output_options
@pass_settings
def stats(settings: Settings, fmt, full_iris) -> None:
    """Counts by class, by source document and of citations.

    \b
    Example:
      tipgraph stats
    """
    from tipgraph.stats import stats_rows

    emit(["section", "name", "count"], stats_rows(settings.store), fmt, full_iris)


@main.command(context_settings=CONTEXT)
@click.option("--check", is_flag=True, help="Only list the files not in canonical form; exit 1.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@pass_settings
def fmt(settings: Settings, check: bool, paths) -> None:
    """Rewrite the Turtle files (default: ontology and data) in the one canonical form.

    Every file is checked before any is written: one error and no file changes. Refused, with
    file:line: a # comment (it would be lost: move the note into skos:editorialNote), a relative
    IRI or a base directive (it would become a file:/// path of this machine), and a literal the
    canonical form would rewrite (such as "yes"^^xsd:boolean or "+8"^^xsd:integer). Files are
    written as export -o writes: symbolic links followed, mode kept, only regular files.

    \b
    Examples:
      tipgraph fmt
      tipgraph fmt --check
    """
    from tipgraph.formatting import format_files, project_turtle_files
    from tipgraph.validation import expand_paths

    files = expand_paths(list(paths)) if paths else project_turtle_files(settings.layout)
    results = format_files(files, check=check)
    changed = [r.path for r in results if r.changed]
    for path in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {path}")
    click.echo(
        f"{len(changed)} of {len(results)} files {'not canonical' if check else 'rewritten'}",
        err=True,
    )
    if check and changed:
        sys.exit(EXIT_FAILURE)


@main.command("search", context_settings=CONTEXT)
@click.argument("text")
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1, max=1000),
    default=20,
    show_default=True,
    metavar="N",
    help="Show at most N results.",
)
@output_options
@pass_settings
def search_command(settings: Settings, text: str, limit: int, fmt, full_iris) -> None:
    """Search names, acronyms and quotations for TEXT, best matches first.

    Case and accents are ignored and English words match their other forms ("trafficked"
    finds "trafficking"); an acronym ranks its resource first. The matched words are marked
    «thus»; a quotation's subject is the resource the citation supports.

    \b
    Examples:
      tipgraph search SAARC
      tipgraph search "trafficked children" --limit 5 -f json
    """
    import pyoxigraph as ox

    from tipgraph.namespaces import XSD_NS
    from tipgraph.search import SearchIndex, clean_query

    clean_query(text)  # bad text is refused before the graph is loaded
    hits = SearchIndex.from_store(settings.store).search(text, limit)

    def node(iri: str | None):
        return ox.NamedNode(iri) if iri else None

    rows = [
        (
            ox.Literal(hit.label),
            ox.Literal(hit.kind),
            ox.Literal(hit.marked()),
            ox.Literal(hit.field),
            node(hit.iri),
            node(hit.subject),
            ox.Literal(f"{hit.score:g}", datatype=ox.NamedNode(XSD_NS + "double")),
        )
        for hit in hits
    ]
    emit(["label", "kind", "match", "field", "iri", "subject", "score"], rows, fmt, full_iris)


@main.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port."
)
@click.option(
    "--timeout",
    type=Seconds(),
    default=LOCAL_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Time limit of each query; a query that reaches it is answered with 503.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=MAX_ROWS,
    show_default=True,
    metavar="N",
    help="Row cap of each answer; a larger answer is refused with 413.",
)
@pass_settings
def serve(settings: Settings, host: str, port: int, timeout: float, max_rows: int) -> None:
    """Serve the graph on the web, read-only: pages, /sparql, /api and /id content negotiation.

    Pages for people (/, /id/SLUG, /queries, /search, /ontology, /scheme, /pictures); the
    SPARQL 1.1 Protocol for queries at /sparql (updates refused with 403); each saved query
    at /api/NAME (described by /api/openapi.json). Ctrl-C stops the server.

    \b
    Examples:
      tipgraph serve
      tipgraph serve --port 8080 --timeout 10 --max-rows 10000
    """
    from importlib.metadata import PackageNotFoundError, version

    import uvicorn

    from tipgraph.web.app import create_app

    try:
        release = version("tipgraph")
    except PackageNotFoundError:
        release = "0"
    app = create_app(
        settings.store, settings.layout, timeout=timeout, max_rows=max_rows, version=release
    )
    _check_can_listen(host, port)
    click.echo(f"tipgraph: serving the graph on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_can_listen(host: str, port: int) -> None:
    """A port in use or a host not of this machine is one error line (exit 1), not the server's
    log line and exit status 3."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        socket.create_server((host, port), family=family).close()
    except OSError as error:
        reason = error.strerror or str(error)
        raise TipgraphError(f"cannot serve on {host}:{port}: {reason}") from None


@main.command(context_settings=CONTEXT)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The folder to write: new, empty, or a site written here before.",
)
@pass_settings
def site(settings: Settings, output: Path) -> None:
    """Write the web pages as a static site: every resource, every query's answer for its
    default parameters, the pictures and a search box that needs no server.

    Links are relative, so the folder works on any static host or from disk; two runs on the
    same graph write the same bytes. A folder that holds other files is refused; in a site
    written before, only the files that run wrote are replaced or removed.

    \b
    Example:
      tipgraph site -o public
    """
    from tipgraph.web.site import write_site

    report = write_site(
        settings.store, settings.layout, output, timeout=LOCAL_TIMEOUT, max_rows=MAX_ROWS
    )
    removed = f", removed {report.removed} stale" if report.removed else ""
    click.echo(f"wrote {report.files} files{removed} to {report.folder}", err=True)


@main.command("cite", context_settings=CONTEXT)
@click.argument("citation", required=False)
@pass_settings
def cite_command(settings: Settings, citation: str | None) -> None:
    """The full reference of CITATION (slug, prefixed name or IRI), one line to paste: the
    document's symbol or name, title, date, the place in it, and its web address where the
    graph records one. Without CITATION: how to cite tipgraph itself (from CITATION.cff).

    \b
    Examples:
      tipgraph cite cite-hrc-p25-saarc-established
      tipgraph cite id:cite-sum-pg13-saarc-gender
      tipgraph cite
    """
    from tipgraph.parameters import resolve_resource
    from tipgraph.references import full_reference, how_to_cite, is_citation, unknown_citation
    from tipgraph.store import has_type

    if citation is None:
        click.echo(how_to_cite())
        return
    try:
        node = resolve_resource(citation)
    except InputError:
        raise unknown_citation(settings.store, citation) from None
    if not is_citation(settings.store, node.value):
        if has_type(settings.store, node):
            raise InputError(
                f"{citation} is not a citation; its citations: "
                f"tipgraph query citations-of -p resource {citation}"
            )
        raise unknown_citation(settings.store, citation)
    click.echo(full_reference(settings.store, node.value))


@main.command("bibliography", context_settings=CONTEXT)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "csl-json"]),
    default="bibtex",
    show_default=True,
    help="BibTeX entries, or CSL-JSON items for Zotero, Pandoc and citeproc.",
)
@pass_settings
def bibliography_command(settings: Settings, fmt: str) -> None:
    """The source documents of the graph as a bibliography, in the order of their slugs.

    \b
    Examples:
      tipgraph bibliography > sources.bib
      tipgraph bibliography --format csl-json
    """
    from tipgraph.references import bibtex, csl_json

    if fmt == "bibtex":
        click.echo(bibtex(settings.store), nl=False)
        return
    import json

    click.echo(json.dumps(csl_json(settings.store), indent=2, ensure_ascii=False))


@main.command("diff", context_settings=CONTEXT)
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice((*FORMATS, "review")),
    default=None,
    help="Output format; review: markdown for a review comment, a heading per resource "
    "[default: table on a terminal, tsv otherwise].",
)
@click.option(
    "--full-iris", is_flag=True, help="Print whole IRIs in table, markdown and review output."
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when the versions differ, as git does.")
@pass_settings
def diff_command(settings: Settings, old, new, fmt, full_iris, exit_code: bool) -> None:
    """The facts added and removed between two versions of the graph, with their citations.

    OLD and NEW are each a git revision of the checkout (its ontology and data folders) or a
    folder (its ontology and data folders, or every Turtle file below it); by default OLD is
    HEAD and NEW the work tree. Facts are grouped by resource, each with the labels of what it
    names and the citations that state it. Files do not matter (a moved or reformatted file is
    no difference), and a resource whose facts are the same under a new IRI is reported once
    as renamed. Exit 0, or with --exit-code 1 when there are differences; 2 for a revision
    that is not one.

    \b
    Examples:
      tipgraph diff
      tipgraph diff HEAD~1 HEAD --format review
      tipgraph diff HEAD . --exit-code
    """
    from tipgraph.diff import COLUMNS, compare, diff_rows, resolve_version, review_markdown

    layout = settings.layout
    result = compare(resolve_version(old or "HEAD", layout), resolve_version(new, layout))
    if fmt == "review":
        click.echo(review_markdown(result, full_iris=full_iris), nl=False)
    else:
        emit(COLUMNS, diff_rows(result), fmt, full_iris)
    if exit_code and result.differs:
        sys.exit(EXIT_FAILURE)


__all__ = ["main"]

"""Hostile and malformed inputs for the command line, each with the exit codes it may give.

Every case runs through the installed ``tipgraph`` in a subprocess (tests/test_fuzz.py), on a
copy of the project, with a time limit; none may hang, crash, print a traceback, reach the
network or change a file it was not asked to write. Placeholders in arguments and files:
``{tmp}`` is the case's own folder, ``{fifo}`` a named pipe in it, ``{device}`` a character
device in it (a private null device, so that a failure can never damage the machine's own).
"""

from __future__ import annotations

from dataclasses import dataclass, field

USAGE = 2
FAILURE = 1


@dataclass(frozen=True)
class Case:
    """One command line, its standard input and extra files, and the exit codes it may give."""

    name: str
    args: tuple[str, ...]
    exits: frozenset[int]
    stdin: str | bytes = ""
    files: dict[str, str | bytes] = field(default_factory=dict)
    one_line: bool = True  # a failure says so in one line on standard error
    fifo: bool = False
    device: bool = False


def case(name, args, exits, **options) -> Case:
    codes = frozenset(exits if isinstance(exits, (set, frozenset, tuple)) else {exits})
    return Case(name, tuple(args), codes, **options)


HOSTILE_TEXT = [
    "'",
    '"',
    "\\",
    "} ; DROP ALL ; {",
    '" . } DELETE WHERE { ?s ?p ?o } #',
    "<http://example.org/x>",
    "line\nbreak",
    "tab\there",
    "\u202eright-to-left",
    "emoji 🙂",
    "x" * 10_000,
    "",
    " ",
    "$(touch /tmp/tipgraph-pwned)",
    "%00",
    "../../../etc/passwd",
    "id:",
    "id:saarc extra",
    "http://example.org/<script>",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "urn:x:y",
    "-1",
    "NaN",
]

NUMBERS = ["0", "-1", "99", "1e3", "2002.5", "२००२", "0x7D2", "99999999999999999999", "2002x", "+"]

SPARQL = {
    "service": ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", {USAGE}),
    "service-silent": (
        "SELECT * WHERE { SERVICE SILENT <http://[::1]:9/x> { ?s ?p ?o } }",
        {USAGE},
    ),
    "service-variable": ("SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }", {USAGE}),
    "insert": ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", {FAILURE, USAGE}),
    "delete": ("DELETE WHERE { ?s ?p ?o }", {FAILURE, USAGE}),
    "drop": ("DROP ALL", {FAILURE, USAGE}),
    "load": ("LOAD <http://127.0.0.1:9/x>", {FAILURE, USAGE}),
    "clear-with-prologue": ("PREFIX x: <urn:x>\n# note\nCLEAR DEFAULT", {FAILURE, USAGE}),
    "update-after-select": ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", {FAILURE, USAGE}),
    "syntax": ("SELECT WHERE {", {FAILURE, USAGE}),
    "empty": ("", {FAILURE, USAGE}),
    "only-comment": ("# nothing", {FAILURE, USAGE}),
    "unknown-prefix": ("SELECT * WHERE { ?s nope:p ?o }", {FAILURE, USAGE}),
    "nested-5000": ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, {USAGE}),
    "parentheses-5000": (
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        {USAGE},
    ),
    "long-path": (
        "SELECT * WHERE { ?s " + "/".join(["rdf:type"] * 3000) + " ?o }",
        {0, FAILURE, USAGE},
    ),
    "union-chain": (
        "SELECT * WHERE { " + " UNION ".join(["{ ?s a tip:Mechanism }"] * 3000) + " }",
        {0, FAILURE, USAGE},
    ),
    "long-path-6000": (
        "SELECT * WHERE { ?s " + "/".join(["rdf:type"] * 6000) + " ?o }",
        {USAGE},
    ),
    "cross-product": (
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        {FAILURE},
    ),
    "bnode-construct": ("CONSTRUCT { _:b ?p ?o } WHERE { id:saarc ?p ?o }", {0}),
    "describe": ("DESCRIBE id:saarc", {0}),
    "ask": ("ASK { ?s ?p ?o }", {0}),
    "nul-byte": ('SELECT * WHERE { ?s ?p "\x00" }', {0, FAILURE, USAGE}),
    "huge-literal": ('SELECT * WHERE { ?s ?p "' + "x" * 2_000_000 + '" }', {0, FAILURE, USAGE}),
    "regex-bomb": ('SELECT * WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "(a+)+$")) }', {0, FAILURE}),
    "values-huge": (
        "SELECT * WHERE { VALUES ?x { " + " ".join(['"v"'] * 50_000) + " } }",
        {0, FAILURE, USAGE},
    ),
}

TURTLE = {
    "syntax-error": ("id:x a .\n", {USAGE}),
    "not-utf8": (b"\xff\xfe\x00bad", {USAGE}),
    "bom": ("\ufeff" + "PREFIX id: <https://w3id.org/tipgraph/id/>\n", {0, FAILURE, USAGE}),
    "empty": ("", {0, FAILURE}),
    "unknown-prefix": ("nope:x nope:y nope:z .\n", {USAGE}),
    "relative-iri": ("<x> <y> <z> .\n", {0, FAILURE, USAGE}),
    "paragraph-word": (
        "PREFIX tip: <https://w3id.org/tipgraph/def/>\nPREFIX id: <https://w3id.org/tipgraph/id/>\n"
        'id:c a tip:Citation ; tip:paragraph "ninety-nine" .\n',
        {FAILURE},
    ),
    "boolean-yes": (
        "PREFIX tip: <https://w3id.org/tipgraph/def/>\nPREFIX id: <https://w3id.org/tipgraph/id/>\n"
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        'id:i a tip:Instrument ; tip:legallyBinding "yes"^^xsd:boolean .\n',
        {FAILURE},
    ),
    "year-letter-o": (
        "PREFIX tip: <https://w3id.org/tipgraph/def/>\nPREFIX id: <https://w3id.org/tipgraph/id/>\n"
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        'id:i a tip:Instrument ; tip:adopted "20O4"^^xsd:gYear .\n',
        {FAILURE},
    ),
    "month-13": (
        "PREFIX tip: <https://w3id.org/tipgraph/def/>\nPREFIX id: <https://w3id.org/tipgraph/id/>\n"
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        'id:i a tip:Instrument ; tip:adopted "2002-13"^^xsd:gYearMonth .\n',
        {FAILURE},
    ),
    "script-label": (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX id: <https://w3id.org/tipgraph/id/>\n"
        'id:x rdfs:label "<script>alert(1)</script>" .\n',
        {0, FAILURE},
    ),
    "deep-collection": (
        "PREFIX id: <https://w3id.org/tipgraph/id/>\nid:x id:p " + "(" * 2000 + ")" * 2000 + " .\n",
        {0, FAILURE, USAGE},
    ),
    "deep-blank-nodes": (
        "PREFIX id: <https://w3id.org/tipgraph/id/>\nid:x id:p "
        + "[ id:p " * 2000
        + "1"
        + " ]" * 2000
        + " .\n",
        {0, FAILURE, USAGE},
    ),
    "long-line": (
        'PREFIX id: <https://w3id.org/tipgraph/id/>\nid:x id:p "' + "y" * 1_000_000 + '" .\n',
        {0, FAILURE},
    ),
}

BAD_TIMEOUTS = ["inf", "nan", "-1", "0", "1e308", "abc", ""]
BAD_ENDPOINTS = [
    "ftp://127.0.0.1/x",
    "http://",
    "not a url",
    "http://[::1",
    "javascript:alert(1)",
    "http://user:secret@127.0.0.1:9/sparql",
    "http://127.0.0.1:9/sparql",
    "http://nothing.invalid/sparql",
]


def cases() -> list[Case]:
    found: list[Case] = []
    for index, value in enumerate(HOSTILE_TEXT):
        found.append(
            case(
                f"resource-parameter-{index}",
                ["query", "members-of", "-p", "mechanism", value],
                USAGE,
            )
        )
        found.append(case(f"describe-{index}", ["describe", value], USAGE))
        found.append(case(f"query-name-{index}", ["query", value], USAGE))
    for index, value in enumerate(NUMBERS):
        found.append(
            case(
                f"year-parameter-{index}",
                ["query", "plans-in-force-in-year", "-p", "year", value],
                USAGE,
            )
        )
    found.append(case("unknown-parameter", ["query", "members-of", "-p", "nope", "x"], USAGE))
    found.append(
        case(
            "parameter-twice",
            ["query", "members-of", "-p", "mechanism", "saarc", "-p", "mechanism", "au"],
            USAGE,
        )
    )
    found.append(case("missing-parameter-value", ["query", "members-of", "-p", "mechanism"], USAGE))
    for name, (text, exits) in SPARQL.items():
        # a short time limit, so that what is merely slow ends soon
        arguments = ["sparql", "--timeout", "2" if name == "cross-product" else "5", "-"]
        found.append(case(f"sparql-{name}", arguments, exits, stdin=text))
    for name, (text, exits) in TURTLE.items():
        found.append(
            case(
                f"validate-{name}",
                ["validate", "{tmp}/bad.ttl"],
                exits,
                files={"bad.ttl": text},
                one_line=False,
            )
        )
        found.append(
            case(
                f"fmt-{name}",
                ["fmt", "--check", "{tmp}/bad.ttl"],
                {0, FAILURE, USAGE},  # canonical, not canonical, or refused
                files={"bad.ttl": text},
                one_line=False,
            )
        )
    for value in BAD_TIMEOUTS:
        found.append(
            case(f"timeout-{value or 'empty'}", ["query", "members-of", "--timeout", value], USAGE)
        )
        found.append(
            case(
                f"sparql-timeout-{value or 'empty'}",
                ["sparql", "--timeout", value, "-"],
                USAGE,
                stdin="ASK {}",
            )
        )
    for index, url in enumerate(BAD_ENDPOINTS):
        found.append(
            case(
                f"endpoint-{index}",
                ["query", "members-of", "--timeout", "3", "--endpoint", url],
                {FAILURE, USAGE},
            )
        )
        found.append(
            case(f"push-{index}", ["push", "--timeout", "3", "--store", url], {FAILURE, USAGE})
        )
    found += [
        case("export-to-device", ["export", "-o", "{device}"], USAGE, device=True),
        case("export-to-folder", ["export", "-o", "{tmp}"], USAGE),
        case("export-to-fifo", ["export", "-o", "{fifo}"], USAGE, fifo=True),
        case("export-to-missing-folder", ["export", "-o", "{tmp}/no/such/file.ttl"], USAGE),
        case("export-bad-format", ["export", "--format", "xml"], USAGE),
        case("validate-missing-file", ["validate", "{tmp}/missing.ttl"], USAGE),
        case("validate-fifo", ["validate", "{fifo}"], USAGE, fifo=True),
        case("fmt-fifo", ["fmt", "--check", "{fifo}"], USAGE, fifo=True),
        case("sparql-missing-file", ["sparql", "{tmp}/missing.rq"], USAGE),
        case("sparql-folder", ["sparql", "{tmp}"], USAGE),
        case("sparql-not-utf8", ["sparql", "-"], {FAILURE, USAGE}, stdin=b"\xff\xfe SELECT"),
        case("unknown-command", ["frobnicate"], USAGE),
        case("unknown-option", ["query", "--frobnicate"], USAGE),
        case("bad-output-format", ["query", "members-of", "--format", "xlsx"], USAGE),
        case("push-without-target", ["push"], USAGE),
        case(
            "push-both-targets",
            [
                "push",
                "--store",
                "http://127.0.0.1:9/s",
                "--update-endpoint",
                "http://127.0.0.1:9/u",
            ],
            USAGE,
        ),
        case(
            "push-bad-graph",
            ["push", "--store", "http://127.0.0.1:9/s", "--graph", "not an iri"],
            {FAILURE, USAGE},
        ),
        case(
            "push-zero-chunk",
            ["push", "--update-endpoint", "http://127.0.0.1:9/u", "--chunk-size", "0"],
            USAGE,
        ),
        case("data-folder-missing", ["--data", "{tmp}/nothing", "stats"], USAGE),
        case(
            "queries-folder-missing", ["--queries", "{tmp}/nothing", "query", "members-of"], USAGE
        ),
        case(
            "cache-is-a-file",
            ["--cache", "{tmp}/bad.ttl/sub", "stats"],
            {0},
            files={"bad.ttl": ""},
            one_line=False,
        ),
        case("index-without-cache", ["--no-cache", "index"], USAGE),
    ]
    return found

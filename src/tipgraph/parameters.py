"""Turning parameter values typed by a user into RDF terms, checked before any query runs."""

from __future__ import annotations

import re

import pyoxigraph as ox

from tipgraph.catalogue import Parameter, SavedQuery
from tipgraph.errors import InputError
from tipgraph.lookup import KINDS, direct, resolve, shown
from tipgraph.namespaces import XSD_NS

MAX_STRING = 100_000
INTEGER = ox.NamedNode(XSD_NS + "integer")
BOOLEAN = ox.NamedNode(XSD_NS + "boolean")


def resolve_resource(value: str, source: ox.Store | None = None) -> ox.NamedNode:
    """A resource by slug (``saarc``), prefixed name (``theme:prevention``) or IRI; with
    ``source`` (an Oxigraph store or rdflib graph), also by name or acronym (``SAARC``,
    ``greta``), and it must be in the graph (see :mod:`tipgraph.lookup`).
    """
    if source is not None:
        return resolve(source, value)
    value = value.strip()
    node = direct(value)
    if node is None:
        raise InputError(f"{shown(value)} is not {KINDS}")
    return node


def to_term(
    parameter: Parameter, value: str, source: ox.Store | None = None
) -> ox.NamedNode | ox.Literal:
    """The RDF term for one parameter value; an InputError names the parameter when it is bad."""
    try:
        if parameter.type == "resource":
            return resolve_resource(value, source)
        if parameter.type == "string":
            if len(value) > MAX_STRING:
                raise InputError(f"longer than {MAX_STRING} characters")
            return ox.Literal(value)
        if parameter.type in ("integer", "year"):
            if not re.fullmatch(r"[+-]?[0-9]{1,18}", value.strip()):
                raise InputError(f"{value[:40]!r} is not a whole number")
            number = int(value)
            if parameter.type == "year" and not 1000 <= number <= 9999:
                raise InputError(f"{number} is not a four-digit year")
            return ox.Literal(str(number), datatype=INTEGER)
        if parameter.type == "boolean":
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise InputError(f"{value[:40]!r} is not true or false")
            return ox.Literal(
                "true" if lowered in ("true", "1", "yes") else "false", datatype=BOOLEAN
            )
    except InputError as error:
        raise InputError(f"parameter {parameter.name} ({parameter.type}): {error}") from error
    raise InputError(f"parameter {parameter.name}: unsupported type {parameter.type}")


def bind_parameters(
    query: SavedQuery, values: dict[str, str], source: ox.Store | None = None
) -> dict[str, ox.NamedNode | ox.Literal]:
    """SPARQL variable → RDF term for every given or defaulted parameter; checks all of them."""
    for name in values:
        query.parameter(name)
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for parameter in query.parameters:
        value = values.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                raise InputError(
                    f"query {query.name}: missing parameter {parameter.name} "
                    f"({parameter.type}): give it with -p {parameter.name} VALUE"
                )
            continue
        bindings[parameter.variable] = to_term(parameter, value, source)
    return bindings

"""A saved query's parameters described as data: for the web form, OpenAPI and ``queries``.

Which values a resource parameter takes is read from the examples its header gives (its
default and the slugs or prefixed names in its description):

* an example that is a SKOS concept makes it a *concept* parameter, whose allowed values are
  every concept of that concept's schemes;
* an example that is another resource suggests every resource of that resource's classes
  (its ``tip:`` classes when it has some, else all of them).

A concept parameter accepts only its schemes' concepts in the form and in OpenAPI; a resource
parameter lists suggestions, and any resource of the graph is still accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from tipgraph.catalogue import Parameter, SavedQuery
from tipgraph.errors import InputError
from tipgraph.namespaces import ID_NS, PREFIXES, SKOS_NS, TIP_NS, shorten
from tipgraph.parameters import resolve_resource
from tipgraph.store import PREF_LABEL, RDF_TYPE, RDFS_LABEL

IN_SCHEME = ox.NamedNode(SKOS_NS + "inScheme")
CONCEPT = ox.NamedNode(SKOS_NS + "Concept")
PARENTHESES = re.compile(r"\(([^()]*)\)")
WORD = re.compile(r"[^\s,;()…]+")
JSON_TYPES = {"resource": "string", "string": "string", "integer": "integer", "year": "integer"}


@dataclass(frozen=True)
class Choice:
    """One value a parameter may take: as typed (slug or prefixed name), its IRI and label."""

    value: str
    iri: str
    label: str

    def as_json(self) -> dict:
        return {"value": self.value, "iri": self.iri, "label": self.label}


@dataclass(frozen=True)
class ParameterInfo:
    """A parameter as the web form, OpenAPI and ``tipgraph queries --format json`` show it."""

    name: str
    type: str
    required: bool
    default: str | None
    description: str
    kind: str  # "concept", "resource" or the type itself for literals
    schemes: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()

    @property
    def restricted(self) -> bool:
        """Whether only ``choices`` are allowed (a concept parameter), not merely suggested."""
        return self.kind == "concept" and bool(self.choices)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": None if self.default is None else _typed_default(self.type, self.default),
            "description": self.description,
            "kind": self.kind,
            "schemes": list(self.schemes),
            "allowed": [c.as_json() for c in self.choices] if self.restricted else None,
            "suggested": [c.as_json() for c in self.choices] if not self.restricted else None,
        }

    def json_schema(self) -> dict:
        """The JSON Schema of the parameter's value, as an URL parameter carries it."""
        if self.type == "boolean":
            schema: dict = {"type": "boolean"}
        else:
            schema = {"type": JSON_TYPES.get(self.type, "string")}
        if self.type == "year":
            schema |= {"minimum": 1000, "maximum": 9999}
        if self.restricted:
            schema["enum"] = [c.value for c in self.choices]
        elif self.choices:
            schema["examples"] = [c.value for c in self.choices[:5]]
        if self.default is not None:
            schema["default"] = _typed_default(self.type, self.default)
        return schema


def _typed_default(kind: str, value: str):
    if kind in ("integer", "year"):
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "boolean":
        return value.strip().lower() in ("true", "1", "yes")
    return value


def _objects(store: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> list:
    return [q.object for q in store.quads_for_pattern(subject, predicate, None)]


def _label(store: ox.Store, node: ox.NamedNode) -> str:
    found = _objects(store, node, RDFS_LABEL) or _objects(store, node, PREF_LABEL)
    return min(term.value for term in found) if found else shorten(node.value)


def typed_value(iri: str) -> str:
    """How a user types a resource: a slug for ``id:`` resources, else a prefixed name."""
    if iri.startswith(ID_NS) and "/" not in iri[len(ID_NS) :]:
        return iri[len(ID_NS) :]
    return shorten(iri)


def _examples(parameter: Parameter, store: ox.Store) -> list[ox.NamedNode]:
    """The resources of the graph that the parameter's default and the parenthesised examples
    of its description name."""
    words = [parameter.default] if parameter.default else []
    for group in PARENTHESES.findall(parameter.description):
        words += WORD.findall(group)
    found: list[ox.NamedNode] = []
    for word in words:
        if ":" in word and word.split(":", 1)[0] not in PREFIXES:
            continue
        try:
            node = resolve_resource(word, store)
        except InputError:
            continue
        if node not in found:
            found.append(node)
    return found


def _members(store: ox.Store, predicate: ox.NamedNode, groups: list[ox.NamedNode]) -> list:
    members = {
        q.subject for group in groups for q in store.quads_for_pattern(None, predicate, group)
    }
    return [m for m in members if isinstance(m, ox.NamedNode)]


def _choices(store: ox.Store, nodes: list) -> tuple[Choice, ...]:
    choices = [Choice(typed_value(n.value), n.value, _label(store, n)) for n in nodes]
    return tuple(sorted(choices, key=lambda c: (c.label.casefold(), c.value)))


def describe_parameter(parameter: Parameter, store: ox.Store) -> ParameterInfo:
    """One parameter with its kind and the values it allows or suggests."""
    base = {
        "name": parameter.name,
        "type": parameter.type,
        "required": parameter.required,
        "default": parameter.default,
        "description": parameter.description,
    }
    if parameter.type != "resource":
        return ParameterInfo(**base, kind=parameter.type)
    examples = _examples(parameter, store)
    concepts = [e for e in examples if ox.Quad(e, RDF_TYPE, CONCEPT) in store]
    if concepts:
        schemes = sorted({s for c in concepts for s in _objects(store, c, IN_SCHEME)}, key=str)
        return ParameterInfo(
            **base,
            kind="concept",
            schemes=tuple(s.value for s in schemes),
            choices=_choices(store, _members(store, IN_SCHEME, schemes)),
        )
    classes: set = set()
    for example in examples:
        types = [t for t in _objects(store, example, RDF_TYPE) if isinstance(t, ox.NamedNode)]
        own = [t for t in types if t.value.startswith(TIP_NS)]
        classes.update(own or types)
    ordered = sorted(classes, key=str)
    return ParameterInfo(
        **base, kind="resource", choices=_choices(store, _members(store, RDF_TYPE, ordered))
    )


def describe_parameters(query: SavedQuery, store: ox.Store) -> list[ParameterInfo]:
    """Every parameter of a saved query, described for forms, OpenAPI and JSON listings."""
    return [describe_parameter(parameter, store) for parameter in query.parameters]

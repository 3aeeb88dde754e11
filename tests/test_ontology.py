"""The ontology documents itself, and the shapes cover every class the data uses."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from tipgraph.loader import load_files
from tipgraph.namespaces import ID, TIP

ONTOLOGY = URIRef("https://w3id.org/tipgraph/def")


def test_every_tip_class_and_property_has_label_and_definition(graph):
    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        terms |= {t for t in graph.subjects(RDF.type, kind) if str(t).startswith(str(TIP))}
    assert len(terms) > 40
    lacking = sorted(
        str(t)
        for t in terms
        if (t, RDFS.label, None) not in graph or (t, SKOS.definition, None) not in graph
    )
    assert lacking == []


def test_ontology_metadata(graph):
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.created,
        DCTERMS.modified,
        OWL.versionIRI,
    ):
        assert (ONTOLOGY, prop, None) in graph, prop


def test_every_concept_has_a_label_and_a_scheme(graph):
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 100
    for concept in concepts:
        assert (concept, SKOS.prefLabel, None) in graph, concept
        assert (concept, SKOS.inScheme, None) in graph, concept


def test_every_class_the_data_uses_has_a_shape(layout, graph):
    shapes = load_files([layout.shapes_file()])
    targeted = set(shapes.objects(None, SH.targetClass))
    used = {c for s, c in graph.subject_objects(RDF.type) if str(s).startswith(str(ID))}
    superclasses = {c: set(graph.transitive_objects(c, RDFS.subClassOf)) for c in used}
    uncovered = sorted(str(c) for c in used if not superclasses[c] & targeted)
    assert uncovered == []

"""Standard terms as their authors define them.

An OWL 2 RL reasoner (owlrl) runs over the ontology, the vocabularies, the data and the axioms
of the standard vocabularies they use (tests/standard_terms/axioms.ttl, copied from the ORG,
ELI, SKOS, PROV-O, FOAF and DCTERMS specifications). Whoever loads the graph into a store with
those vocabularies and a reasoner gets the same entailments; none of them may be absurd. The
OWL API's OWL 2 DL profile checker then runs over the ontology and the vocabularies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from tipgraph.namespaces import TIP

HERE = Path(__file__).parent
AXIOMS = HERE / "standard_terms" / "axioms.ttl"
PROFILE_CHECK = HERE / "owl_profile" / "ProfileCheck.java"
OWLAPI_JARS = Path("/usr/share/java")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
ERRNS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
OURS = "https://w3id.org/tipgraph/"
# Types every resource has under OWL 2 RL, or that only describe terms themselves.
UNINFORMATIVE = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
PROPERTY_TYPES = {
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.FunctionalProperty,
}


def missing_tool(reason: str) -> None:
    """Skip a test whose tool is missing, except on CI, where the test fails."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Reasoned:
    asserted: Graph
    graph: Graph  # the OWL 2 RL closure of ``asserted``


def closure(files: Iterable[Path], data: str = "") -> Reasoned:
    """The OWL 2 RL closure of the files (and of extra Turtle ``data``)."""
    try:
        import owlrl
    except ImportError:
        missing_tool("owlrl is not installed (pip install owlrl)")
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    if data:
        graph.parse(data=data, format="turtle")
    asserted = Graph()
    for triple in graph:
        asserted.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return Reasoned(asserted, graph)


def ours(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(OURS)


def superclasses(graph: Graph, cls: URIRef) -> set:
    """A class and all it is a subclass of or equivalent to, in the closure."""
    found = {cls}
    todo = [cls]
    while todo:
        current = todo.pop()
        for above in (
            *graph.objects(current, RDFS.subClassOf),
            *graph.objects(current, OWL.equivalentClass),
            *graph.subjects(OWL.equivalentClass, current),
        ):
            if above not in found:
                found.add(above)
                todo.append(above)
    return found


def types_entailed_beyond_assertions(reasoned: Reasoned) -> list[tuple[str, str]]:
    """(resource, class) where the reasoner types one of our resources with a class that none
    of its asserted types is a subclass of: a domain or range axiom said something the data
    did not."""
    asserted, graph = reasoned.asserted, reasoned.graph
    above: dict = {}
    found = []
    for resource in {s for s in graph.subjects(RDF.type) if ours(s)}:
        said = set()
        for cls in asserted.objects(resource, RDF.type):
            if cls not in above:
                above[cls] = superclasses(graph, cls)
            said |= above[cls]
        for cls in graph.objects(resource, RDF.type):
            if isinstance(cls, BNode) or cls in UNINFORMATIVE | said:
                continue
            found.append((str(resource), str(cls)))
    return sorted(found)


def non_legal_legal_resources(reasoned: Reasoned) -> list[str]:
    """Resources entailed eli:LegalResource that are not instruments binding in law."""
    graph = reasoned.graph
    return sorted(
        str(s)
        for s in graph.subjects(RDF.type, ELI.LegalResource)
        if (s, TIP.legallyBinding, None) not in graph
        or not all(o.toPython() is True for o in graph.objects(s, TIP.legallyBinding))
    )


def formal_collaborations(reasoned: Reasoned) -> list[str]:
    """Collaborations, and bodies asserted as such, that the reasoner makes formal
    organisations."""
    asserted, graph = reasoned.asserted, reasoned.graph
    return sorted(
        str(s)
        for s in graph.subjects(RDF.type, ORG.FormalOrganization)
        if (s, RDF.type, ORG.FormalOrganization) not in asserted
        and (
            (s, RDF.type, ORG.OrganizationalCollaboration) in graph
            or (s, RDF.type, ORG.OrganizationalUnit) in asserted
        )
    )


def properties_as_concepts(reasoned: Reasoned) -> list[str]:
    """Properties (declared, used as predicates, or named by tip:supports or tip:property)
    that the reasoner makes SKOS concepts."""
    asserted, graph = reasoned.asserted, reasoned.graph
    properties = {p for p in asserted.predicates() if isinstance(p, URIRef)}
    properties |= {s for t in PROPERTY_TYPES for s in asserted.subjects(RDF.type, t)}
    properties |= set(asserted.objects(None, TIP.supports))
    properties |= set(asserted.objects(None, TIP.property))
    return sorted(str(p) for p in properties if (p, RDF.type, SKOS.Concept) in graph)


def concepts_outside_schemes(reasoned: Reasoned) -> list[str]:
    """Resources entailed skos:Concept that belong to no concept scheme."""
    graph = reasoned.graph
    return sorted(
        str(c)
        for c in graph.subjects(RDF.type, SKOS.Concept)
        if (c, SKOS.inScheme, None) not in graph
    )


def inconsistencies(reasoned: Reasoned) -> list[str]:
    """The reasoner's inconsistency messages (a disjointness broken, for example)."""
    return sorted(str(m) for m in reasoned.graph.objects(None, ERRNS.error))


@pytest.fixture(scope="module")
def entailed(layout) -> Reasoned:
    return closure([*layout.ontology_files(), *layout.data_files(), AXIOMS])


def test_no_inconsistency(entailed):
    assert inconsistencies(entailed) == []


def test_only_binding_instruments_are_legislation(entailed):
    assert non_legal_legal_resources(entailed) == []


def test_no_collaboration_or_body_becomes_a_formal_organization(entailed):
    assert formal_collaborations(entailed) == []


def test_no_property_becomes_a_concept(entailed):
    assert properties_as_concepts(entailed) == []


def test_every_entailed_concept_is_in_a_scheme(entailed):
    assert concepts_outside_schemes(entailed) == []


def test_reasoning_types_nothing_the_data_does_not_say(entailed):
    """The general rule behind the others: every type the reasoner gives one of our resources
    follows from a type the graph asserts for it."""
    assert types_entailed_beyond_assertions(entailed) == []


def test_every_concept_has_a_definition(graph):
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 100
    lacking = sorted(str(c) for c in concepts if (c, SKOS.definition, None) not in graph)
    assert lacking == []


def test_broader_stays_in_its_scheme_and_has_no_cycle(graph):
    for concept, broader in graph.subject_objects(SKOS.broader):
        assert set(graph.objects(concept, SKOS.inScheme)) == set(
            graph.objects(broader, SKOS.inScheme)
        ), (concept, broader)
        assert concept not in set(graph.transitive_objects(broader, SKOS.broader)), concept
        # a concept with a broader one is not a top concept of its scheme
        assert (concept, SKOS.topConceptOf, None) not in graph, concept


def test_hierarchies_where_natural(graph):
    """Target groups, forms of exploitation and themes have a hierarchy."""
    for scheme in ("target-group", "exploitation", "theme"):
        iri = URIRef(f"https://w3id.org/tipgraph/scheme/{scheme}")
        inside = set(graph.subjects(SKOS.inScheme, iri))
        assert any((c, SKOS.broader, None) in graph for c in inside), scheme


# Each absurdity the checks above catch, made on purpose in a few triples of bad data.
ABSURD = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX id: <https://w3id.org/tipgraph/id/>
PREFIX itype: <https://w3id.org/tipgraph/concept/instrument-type/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX tip: <https://w3id.org/tipgraph/def/>

id:a-campaign a tip:Instrument ; eli:type_document itype:campaign .
id:a-process a tip:Mechanism , org:OrganizationalCollaboration .
id:a-task-force a org:OrganizationalUnit ; org:unitOf id:a-process .
id:a-sub-group a org:OrganizationalUnit ; org:unitOf id:a-task-force .
tip:a-date a owl:DatatypeProperty ; skos:closeMatch eli:date_document .
id:a-page a tip:SourceDocument ; org:purpose id:a-page .
id:a-host a org:FormalOrganization ; org:hasPrimarySite id:a-guest .
id:a-guest a org:FormalOrganization .
"""


@pytest.fixture(scope="module")
def absurd(layout) -> Reasoned:
    return closure([*layout.ontology_files(), AXIOMS], ABSURD)


def test_catches_a_campaign_made_legislation(absurd):
    assert non_legal_legal_resources(absurd) == ["https://w3id.org/tipgraph/id/a-campaign"]


def test_catches_a_collaboration_or_body_made_formal(absurd):
    assert formal_collaborations(absurd) == [
        "https://w3id.org/tipgraph/id/a-process",
        "https://w3id.org/tipgraph/id/a-task-force",
    ]


def test_catches_a_property_made_a_concept(absurd):
    assert properties_as_concepts(absurd) == ["https://w3id.org/tipgraph/def/a-date"]


def test_catches_a_concept_outside_any_scheme(absurd):
    assert "https://w3id.org/tipgraph/id/a-page" in concepts_outside_schemes(absurd)


def test_catches_a_document_made_an_organisation(absurd):
    """org:purpose has the domain org:Organization, which FOAF makes disjoint with documents."""
    assert any("a-page" in message for message in inconsistencies(absurd))
    assert ("https://w3id.org/tipgraph/id/a-page", str(ORG.Organization)) in (
        types_entailed_beyond_assertions(absurd)
    )


def test_catches_an_organisation_used_as_a_site(absurd):
    """org:hasPrimarySite ranges over org:Site, which ORG makes disjoint with org:Organization:
    the place where an organisation is must be a site of its own, not another organisation."""
    assert any("a-guest" in message for message in inconsistencies(absurd))


def test_sites_are_sites_and_nothing_else(entailed):
    """Every primary site in the data is an org:Site, never an organisation, and the reasoner
    gives it nothing beyond what its type says (its organisation gets org:hasSite)."""
    sites = set(entailed.asserted.objects(None, ORG.hasPrimarySite))
    assert sites
    for site in sites:
        assert set(entailed.asserted.objects(site, RDF.type)) == {ORG.Site}, site
        assert (site, RDF.type, ORG.Organization) not in entailed.graph, site
        assert (None, ORG.hasSite, site) in entailed.graph, site


# --- OWL 2 DL profile --------------------------------------------------------------------


@pytest.fixture(scope="module")
def profile_checker(tmp_path_factory) -> list[str]:
    """The command that runs the compiled checker, given Turtle files to append."""
    javac, java = shutil.which("javac"), shutil.which("java")
    if not javac or not java:
        missing_tool("javac and java are needed for the OWL 2 DL profile check")
    if not list(OWLAPI_JARS.glob("owlapi-api*.jar")):
        missing_tool(f"the OWL API is not in {OWLAPI_JARS} (apt-get install libowlapi-java)")
    classes = tmp_path_factory.mktemp("owl-profile")
    classpath = f"{OWLAPI_JARS}/*"
    compiled = subprocess.run(
        [javac, "-d", str(classes), "-cp", classpath, str(PROFILE_CHECK)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert compiled.returncode == 0, compiled.stderr
    return [java, "-cp", f"{classes}:{classpath}", "ProfileCheck"]


def dl_violations(command: list[str], files: Iterable[Path]) -> list[str]:
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return result.stdout.splitlines()


def test_ontology_is_in_the_owl2_dl_profile(layout, profile_checker):
    assert dl_violations(profile_checker, layout.ontology_files()) == []


def test_profile_check_reports_violations(profile_checker, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX ex: <https://example.org/>\n"
        "ex:p a owl:ObjectProperty ; rdfs:range rdf:Property .\n"
        "ex:C a owl:Class ; rdfs:subClassOf ex:Undeclared .\n",
        encoding="utf-8",
    )
    found = dl_violations(profile_checker, [bad])
    assert any("rdf:Property" in line or "22-rdf-syntax-ns#Property" in line for line in found)
    assert any("Undeclared" in line for line in found)


def test_profile_check_refuses_unreadable_turtle(profile_checker, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not Turtle", encoding="utf-8")
    result = subprocess.run(
        [*profile_checker, str(broken)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2

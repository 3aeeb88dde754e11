"""What a citation supports: the one statement of the rule that ``describe``, ``diff`` and the
checks follow. queries/uncited-facts.rq and data/README.md state it again for their readers;
tests/test_one_rule.py holds them to this module.

- A claim (an instance of a subclass of tip:Claim) or an org:Membership is cited as a whole:
  any of its citations supports all of its facts.
- On any other resource, a citation supports the resource's type, labels and editorial notes
  (ALWAYS_SUPPORTED), and each property it names with tip:supports.
- A value that value claims record is stated by their citations, and only those, whatever
  the property (labels too: an acronym from an external source has its own citation).
"""

from __future__ import annotations

from tipgraph.namespaces import ORG_NS, RDF_NS, RDFS_NS, SKOS_NS, TIP_NS

ALWAYS_SUPPORTED = frozenset(
    {RDF_NS + "type", RDFS_NS + "label", SKOS_NS + "altLabel", SKOS_NS + "editorialNote"}
)
CLAIM_CLASS = TIP_NS + "Claim"
CITED_AS_A_WHOLE = frozenset({ORG_NS + "Membership"})

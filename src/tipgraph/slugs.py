"""The one rule for slugs: lower-case ASCII words joined by hyphens.

A resource's slug (its IRI after ``id:``) and a saved query's name follow it. The SHACL shapes
and data/README.md state the same pattern; tests/test_one_rule.py checks that they do.
"""

from __future__ import annotations

import re

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
# \Z, not $: "$" also matches before a final line break, so "saarc\n" would pass.
SLUG = re.compile(rf"^{SLUG_PATTERN}\Z")

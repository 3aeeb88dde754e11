"""The graph on the web: ``tipgraph serve`` (a read-only server) and ``tipgraph site`` (the same
pages as a static site). Both render one template set; only the way links are written differs.
"""

"""``python -m tipgraph``: the command line."""

from tipgraph.cli import main

if __name__ == "__main__":
    main(prog_name="tipgraph")

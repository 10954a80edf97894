"""``python -m rnnviz``: the command line, one explicit table of subcommands.

``main.py`` holds the table; each ``*_commands.py`` module defines ``add_X(subparsers)`` (the flags)
and ``run_X(args)`` (the work) for its commands. Choices come from the constants they name.
"""

from rnnviz.cli.main import COMMANDS, build_parser, main

__all__ = ["COMMANDS", "build_parser", "main"]

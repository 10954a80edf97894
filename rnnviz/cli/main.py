"""The command table and the entry point of ``python -m rnnviz``."""

from __future__ import annotations

import argparse
import sys

import rnnviz.cli.bench_commands as bench
import rnnviz.cli.charlm_commands as charlm
import rnnviz.cli.classify_commands as classify
import rnnviz.cli.lab_commands as labs
import rnnviz.cli.tag_commands as tagging
from rnnviz.charlm.model import ConfigError

# name -> (add the subcommand's flags, run it); the order is the order of ``--help``
COMMANDS = {
    "train": (charlm.add_train, charlm.run_train),
    "generate": (charlm.add_generate, charlm.run_generate),
    "eval": (charlm.add_eval, charlm.run_eval),
    "inspect": (labs.add_inspect, labs.run_inspect),
    "gradflow": (labs.add_gradflow, labs.run_gradflow),
    "task": (labs.add_task, labs.run_task),
    "seq2seq": (labs.add_seq2seq, labs.run_seq2seq),
    "tag": (tagging.add_tag, tagging.run_tag),
    "tag-text": (tagging.add_tag_text, tagging.run_tag_text),
    "classify": (classify.add_classify, classify.run_classify),
    "explain": (classify.add_explain, classify.run_explain),
    "bench": (bench.add_bench, bench.run_bench),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rnnviz",
        description="Headless training, generation, evaluation, inspection, labs and benchmarks.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add, _ in COMMANDS.values():
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command][1](args)
    except (ConfigError, ValueError) as exc:  # our errors carry messages meant for people
        print(f"error: {exc}", file=sys.stderr)
        return 2

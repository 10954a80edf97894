"""Subcommands built on the introspection engine and the labs (registered into ``rnnviz.cli``)."""

from __future__ import annotations

import json
import sys

from rnnviz.cli import register


def _add_inspect(sub) -> None:
    p = sub.add_parser("inspect", help="trace a checkpoint over a text: gates, states, gradients, neurons")
    p.add_argument("checkpoint")
    p.add_argument("--text", required=True)
    p.add_argument("--regex", default=None, help="an extra feature for the neuron finder")
    p.add_argument("--json", action="store_true")


def _cmd_inspect(args) -> int:
    from rnnviz.checkpoint import load_checkpoint
    from rnnviz.introspect.report import inspect_report

    ckpt = load_checkpoint(args.checkpoint)
    report = inspect_report(ckpt.model, ckpt.vocab, args.text, regex=args.regex)
    if args.json:
        print(json.dumps(report))
        return 0
    print(
        f"{report['cell']} over {len(report['text'])} chars; "
        f"max |replay - fused| = {report['max_abs_diff_vs_fused']:.2e}"
    )
    if report["skipped_chars"]:
        print(f"skipped (not in vocabulary): {report['skipped_chars']}", file=sys.stderr)
    decay = report.get("gradient_norms", {}).get("decay_per_step_layer0")
    if decay:
        print(f"gradient of the last loss shrinks x{decay:.3f} per step back in time (layer 0)")
    for feature, matches in report["neurons"].items():
        if matches:
            best = matches[0]
            print(
                f"{feature:>18}: layer {best['layer']} {best['state']}[{best['unit']}] r = {best['correlation']:+.2f}"
            )
    return 0


register("inspect", _add_inspect, _cmd_inspect)

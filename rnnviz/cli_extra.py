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


def _add_gradflow(sub) -> None:
    p = sub.add_parser("gradflow", help="gradient norm against distance in time, at initialisation")
    p.add_argument("--cell", choices=("rnn", "lstm", "gru"), default="rnn")
    p.add_argument("--nonlinearity", choices=("tanh", "relu"), default="tanh")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--seq", type=int, default=100)
    p.add_argument("--init", choices=("default", "orthogonal", "identity"), default="default")
    p.add_argument("--radius", type=float, default=None)
    p.add_argument("--forget-bias", type=float, default=None)
    p.add_argument("--update-bias", type=float, default=None)
    p.add_argument("--chrono", type=int, default=None, help="chrono initialisation with this t_max")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")


def _cmd_gradflow(args) -> int:
    from rnnviz.gradient_lab import describe_decay, gradflow_at_init
    from rnnviz.initialization import InitConfig

    init = InitConfig(args.init, args.radius, args.forget_bias, args.update_bias, args.chrono)
    result = gradflow_at_init(args.cell, args.hidden, args.seq, init, args.nonlinearity, args.seed)
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    print(f"{args.cell} ({args.nonlinearity}), H={args.hidden}, T={args.seq}, init {init.to_dict()}")
    print(f"spectral radius of W_hh: {result.spectral_radius:.3f}")
    if result.mean_forget_or_update_gate is not None:
        print(f"mean {'forget' if args.cell == 'lstm' else 'update'} gate: {result.mean_forget_or_update_gate:.3f}")
    print(describe_decay(result.decay_per_step))
    for d in (1, 10, 25, 50, 100):
        if d < len(result.relative_by_distance):
            print(f"  distance {d:>3}: {result.relative_by_distance[d]:.3e} of the gradient at distance 0")
    return 0


def _add_task(sub) -> None:
    p = sub.add_parser("task", help="train a cell on a long-memory task")
    p.add_argument("task", choices=("adding", "order", "copy", "dyck"))
    p.add_argument("--length", type=int, default=50)
    p.add_argument("--cell", default="lstm", help="rnn, lstm, gru, or several separated by commas")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")


def _cmd_task(args) -> int:
    import time

    from rnnviz.task_lab import TaskConfig, run_task

    cells = tuple(c.strip() for c in args.cell.split(",") if c.strip())
    config = TaskConfig(args.task, args.length, cells, args.hidden, args.batch_size, args.lr,
                        max_steps=args.steps, eval_every=max(1, args.steps // 20), seed=args.seed)  # fmt: skip
    started = time.perf_counter()
    rows = run_task(config)
    wall = time.perf_counter() - started
    if args.json:
        print(json.dumps({"task": args.task, "length": args.length, "steps": args.steps, "wall_seconds": wall,
                          "results": rows}))  # fmt: skip
        return 0
    for row in rows:
        accuracy = f", accuracy {row['accuracy']:.1%}" if row["accuracy"] is not None else ""
        print(f"{row['cell']:5s} held-out loss {row['held-out loss']:.4f} (baseline {row['baseline']:.4f}){accuracy}")
    print(f"{wall:.0f} s")
    return 0


register("gradflow", _add_gradflow, _cmd_gradflow)
register("task", _add_task, _cmd_task)

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


def _add_seq2seq(sub) -> None:
    p = sub.add_parser("seq2seq", help="train an encoder-decoder with attention on a toy translation task")
    p.add_argument("--task", choices=("dates", "reverse", "sort", "add"), default="dates")
    p.add_argument("--attention", default="bahdanau", help="bahdanau, luong-dot, luong-general, none; or several: a,b")
    p.add_argument("--cell", choices=("gru", "lstm"), default="gru")
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--length", type=int, default=10, help="string length for reverse and sort")
    p.add_argument("--no-bidirectional", action="store_true")
    p.add_argument("--teacher-forcing", type=float, default=1.0)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="save the first variant as FILE.safetensors")
    p.add_argument("--json", action="store_true")


def _cmd_seq2seq(args) -> int:
    import shlex
    import time

    import torch
    from tqdm import tqdm

    from rnnviz.device import describe_device
    from rnnviz.seq2seq.checkpoint import save_seq2seq
    from rnnviz.seq2seq.lab import LabConfig, Seq2SeqLab, mean_attention_entropy

    attentions = tuple(a.strip() for a in args.attention.split(",") if a.strip())
    config = LabConfig(args.task, attentions, args.cell, args.hidden, 32, not args.no_bidirectional,
                       args.batch_size, args.lr, args.teacher_forcing, args.length, args.steps,
                       eval_every=max(1, args.steps // 10), seed=args.seed)  # fmt: skip
    lab = Seq2SeqLab(config)
    started = time.perf_counter()
    with tqdm(total=args.steps, unit="step", disable=args.json, file=sys.stderr) as bar:
        while not lab.finished:
            lab.step()
            bar.update(1)
    wall = time.perf_counter() - started
    results = []
    for run in lab.runs:
        entry = {"attention": run.name, "held_out_exact_match": run.accuracies[-1] if run.accuracies else None,
                 "final_train_loss": run.losses[-1] if run.losses else None, "diverged": run.diverged}  # fmt: skip
        if args.task == "dates":
            entry["mean_attention_entropy"] = mean_attention_entropy(run.model, lab.vocab, lab.held_out[:200])
        results.append(entry)
    summary = {"task": args.task, "cell": args.cell, "steps": args.steps, "wall_seconds": round(wall, 1),
               "held_out_examples": len(lab.held_out), "results": results}  # fmt: skip
    if args.out:
        command = "python -m rnnviz " + " ".join(shlex.quote(a) for a in sys.argv[1:] if a != "--json")
        card = {
            "task": args.task,
            "attention": lab.runs[0].name,
            "steps": args.steps,
            "wall_seconds": round(wall, 1),
            "hardware": describe_device(torch.device("cpu")),
            "held_out_exact_match": results[0]["held_out_exact_match"],
            "mean_attention_entropy": results[0].get("mean_attention_entropy"),
            "training_command": command,
        }
        save_seq2seq(lab.runs[0].model, args.task, card, args.out)
        summary["out"] = args.out
    if args.json:
        print(json.dumps(summary))
    else:
        for entry in results:
            line = f"{entry['attention']:14s} held-out exact match {entry['held_out_exact_match']:.1%}"
            if entry.get("mean_attention_entropy") is not None:
                line += f", mean attention entropy {entry['mean_attention_entropy']:.3f} nats"
            print(line)
        print(f"{wall:.0f} s")
    return 0


register("seq2seq", _add_seq2seq, _cmd_seq2seq)

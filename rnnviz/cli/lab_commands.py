"""Subcommands built on the introspection engine and the labs: inspect, gradflow, task, seq2seq."""

from __future__ import annotations

import json
import sys

from rnnviz.cells import ALL_BY_KEY, MODULES, NONLINEARITIES
from rnnviz.charlm.initialization import INIT_SCHEMES
from rnnviz.labs.memory_tasks import TASKS
from rnnviz.seq2seq.model import ATTENTIONS, SEQ2SEQ_CELLS
from rnnviz.seq2seq.tasks import SEQ2SEQ_TASKS


def add_inspect(sub) -> None:
    p = sub.add_parser("inspect", help="trace a checkpoint over a text: gates, states, gradients, neurons")
    p.add_argument("checkpoint")
    p.add_argument("--text", required=True)
    p.add_argument("--regex", default=None, help="an extra feature for the neuron finder")
    p.add_argument("--json", action="store_true")


def run_inspect(args) -> int:
    from rnnviz.charlm.checkpoint import load_checkpoint
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


def add_gradflow(sub) -> None:
    p = sub.add_parser("gradflow", help="gradient norm against distance in time, at initialisation")
    p.add_argument(
        "--cell",
        choices=tuple(ALL_BY_KEY),
        default="rnn",
        help="any cell of the Gradients page, by its key; a Transformer's gradient is at each input embedding",
    )
    p.add_argument("--nonlinearity", choices=NONLINEARITIES, default=None, help="the plain RNN's (rnn-relu is relu)")
    p.add_argument("--hidden-size", "--hidden", type=int, default=128)
    p.add_argument("--seq-len", "--seq", type=int, default=100)
    p.add_argument("--init", choices=INIT_SCHEMES, default="default")
    p.add_argument("--radius", type=float, default=None)
    p.add_argument("--forget-bias", type=float, default=None)
    p.add_argument("--update-bias", type=float, default=None)
    p.add_argument("--chrono", type=int, default=None, help="chrono initialisation with this t_max")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")


def gradflow_cell(key: str, nonlinearity: str | None) -> tuple[str, str]:
    """A registry key (and ``--nonlinearity``, which only the plain RNN chooses) -> the module and the nonlinearity
    ``gradflow_at_init`` builds, as the Gradients page maps its picker: ``rnn-relu`` is the RNN with relu."""
    kind = ALL_BY_KEY[key]
    if key == "rnn":
        return kind.module, nonlinearity or kind.nonlinearity
    if nonlinearity not in (None, kind.nonlinearity):
        raise ValueError(f"--nonlinearity {nonlinearity} is the plain RNN's choice ({key} has its own); use rnn")
    return kind.module, kind.nonlinearity


def run_gradflow(args) -> int:
    from rnnviz.charlm.initialization import InitConfig
    from rnnviz.labs.gradient_decay import describe_result, gradflow_at_init

    cell, nonlinearity = gradflow_cell(args.cell, args.nonlinearity)
    init = InitConfig(
        scheme=args.init,
        spectral_radius=args.radius,
        forget_bias=args.forget_bias,
        update_bias=args.update_bias,
        chrono_t_max=args.chrono,
    )
    result = gradflow_at_init(cell, args.hidden_size, args.seq_len, init, nonlinearity, args.seed)
    if args.json:
        print(json.dumps({"key": args.cell, **result.to_dict()}))
        return 0
    kind = ALL_BY_KEY[args.cell]
    print(f"{kind.label}, H={args.hidden_size}, T={args.seq_len}, init {init.to_dict()}")
    if cell not in MODULES and init != InitConfig():
        print("(a newer cell keeps its own initialisation: --init, --radius and the gate biases shape the fused cells)")
    if result.spectral_radius is not None:
        print(f"spectral radius of W_hh: {result.spectral_radius:.3f}")
    if result.mean_forget_or_update_gate is not None:
        kept = {"lstm": "forget gate", "gru": "update gate"}.get(cell, "share of h_{t-1} kept per step")
        print(f"mean {kept}: {result.mean_forget_or_update_gate:.3f}")
    if result.replay_diff is not None:
        print(f"largest |training path - replay|: {result.replay_diff:.1e}")
    measured = {"hidden": "||dL_T/dh_t||", "state": "||dL_T/dh_t|| (the state, D x N)", "input": "||dL_T/dx_t||"}
    print(f"{measured[result.measured]}: {describe_result(result)}")
    for d in (1, 10, 25, 50, 100):
        if d < len(result.relative_by_distance):
            print(f"  distance {d:>3}: {result.relative_by_distance[d]:.3e} of the gradient at distance 0")
    return 0


def add_task(sub) -> None:
    p = sub.add_parser("task", help="train a cell on a long-memory task (selective-copy: Mamba's, section 3.1)")
    p.add_argument("task", choices=TASKS)
    p.add_argument("--length", type=int, default=50)
    p.add_argument(
        "--cell", default="lstm", help=f"one of {', '.join(ALL_BY_KEY)}, or several separated by commas: lstm,mingru"
    )
    p.add_argument("--hidden-size", "--hidden", type=int, default=128)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--learning-rate", "--lr", type=float, default=1e-3)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=1, help="train every cell once per seed: seed, seed+1, ...")
    p.add_argument("--json", action="store_true")


def run_task(args) -> int:
    import time

    from rnnviz.labs.memory_task_lab import MemoryTaskConfig, train_memory_task

    cells = tuple(c.strip() for c in args.cell.split(",") if c.strip())
    config = MemoryTaskConfig(
        task=args.task,
        length=args.length,
        cells=cells,
        hidden_size=args.hidden_size,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        steps=args.steps,
        eval_every=max(1, args.steps // 20),
        seed=args.seed,
        repeats=args.repeats,
    )
    started = time.perf_counter()
    lab = train_memory_task(config)
    wall = time.perf_counter() - started
    rows, aggregate = lab.summary(), lab.aggregate()
    if args.json:
        print(
            json.dumps(
                {
                    "task": args.task,
                    "length": args.length,
                    "steps": args.steps,
                    "wall_seconds": wall,
                    "results": rows,
                    "aggregate": aggregate,
                }
            )
        )
        return 0
    width = max(len(row["cell"]) for row in rows)  # "Selective SSM" is the longest label
    for row in rows:
        accuracy = f", accuracy {row['accuracy']:.1%}" if row["accuracy"] is not None else ""
        print(
            f"{row['cell']:{width}s} seed {row['seed']}: held-out loss {row['held-out loss']:.4f} "
            f"(baseline {row['baseline']:.4f}){accuracy}{', solved' if row['solved'] else ''}"
        )
    if args.repeats > 1:
        for row in aggregate:
            print(
                f"{row['cell']:{width}s} mean {row['mean held-out loss']:.4f} (best {row['best']:.4f}, worst "
                f"{row['worst']:.4f}), solved {row['solved']}"
            )
    print(f"{wall:.0f} s")
    return 0


def add_seq2seq(sub) -> None:
    p = sub.add_parser("seq2seq", help="train an encoder-decoder with attention on a toy translation task")
    p.add_argument("--task", choices=SEQ2SEQ_TASKS, default="dates")
    p.add_argument("--attention", default="bahdanau", help=f"{', '.join(ATTENTIONS)}; or several: a,b")
    p.add_argument("--cell", choices=SEQ2SEQ_CELLS, default="gru")
    p.add_argument("--hidden-size", "--hidden", type=int, default=64)
    p.add_argument("--length", type=int, default=10, help="string length for reverse and sort")
    p.add_argument("--no-bidirectional", action="store_true")
    p.add_argument("--teacher-forcing", type=float, default=1.0)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--learning-rate", "--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="save the first variant as FILE.safetensors")
    p.add_argument("--json", action="store_true")


def run_seq2seq(args) -> int:
    import shlex
    import time

    import torch
    from tqdm import tqdm

    from rnnviz.device import describe_device
    from rnnviz.labs.seq2seq_lab import Seq2SeqLab, Seq2SeqLabConfig, mean_attention_entropy
    from rnnviz.seq2seq.checkpoint import save_seq2seq

    attentions = tuple(a.strip() for a in args.attention.split(",") if a.strip())
    config = Seq2SeqLabConfig(
        task=args.task,
        attentions=attentions,
        cell=args.cell,
        hidden_size=args.hidden_size,
        bidirectional=not args.no_bidirectional,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        teacher_forcing=args.teacher_forcing,
        length=args.length,
        steps=args.steps,
        eval_every=max(1, args.steps // 10),
        seed=args.seed,
    )
    lab = Seq2SeqLab(config)
    started = time.perf_counter()
    with tqdm(total=args.steps, unit="step", disable=args.json, file=sys.stderr) as bar:
        while not lab.finished:
            lab.step()
            bar.update(1)
    wall = time.perf_counter() - started
    results = []
    for run in lab.runs:
        entry = {
            "attention": run.name,
            "held_out_exact_match": run.accuracies[-1] if run.accuracies else None,
            "final_train_loss": run.losses[-1] if run.losses else None,
            "diverged": run.diverged,
        }
        if args.task == "dates":
            entry["mean_attention_entropy"] = mean_attention_entropy(run.model, lab.vocab, lab.held_out[:200])
        results.append(entry)
    summary = {
        "task": args.task,
        "cell": args.cell,
        "steps": args.steps,
        "wall_seconds": round(wall, 1),
        "held_out_examples": len(lab.held_out),
        "results": results,
    }
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

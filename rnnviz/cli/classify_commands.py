"""Subcommands of the Classify lab: ``classify`` trains sentence classifiers and reports held-out and test accuracy
beside both baselines; ``explain`` answers for a text with a saved classifier."""

from __future__ import annotations

import json
import shlex
import sys

from rnnviz.classify.data import SENTIMENT_SETS
from rnnviz.classify.model import CLASSIFIER_CELLS, POOLINGS
from rnnviz.cli.seeds import check_repeats, over_seeds, print_over_seeds
from rnnviz.labs.classify_lab import DEFAULT_VARIANTS
from rnnviz.tokens import KINDS


def add_classify(sub) -> None:
    p = sub.add_parser("classify", help="sentiment of human-rated sentences: train classifiers, accuracy vs baselines")
    p.add_argument(
        "--data",
        default="movie-sentences",
        help=f"a shipped set ({', '.join(SENTIMENT_SETS)}) or a CSV/TSV file with text and label columns",
    )
    p.add_argument("--text-column", default=None)
    p.add_argument("--label-column", default=None)
    p.add_argument("--cell", choices=CLASSIFIER_CELLS, default=None, help="one variant of this cell")
    p.add_argument("--bidirectional", action="store_true")
    p.add_argument("--pooling", choices=POOLINGS, default="last")
    p.add_argument(
        "--variants",
        default=None,
        help=f"several variants on the same batches, cell[-bi][+pooling] (default: {','.join(DEFAULT_VARIANTS)}"
        ", the page's comparison, unless --cell picks one)",
    )
    p.add_argument("--tokens", choices=KINDS, default="words")
    p.add_argument("--num-words", type=int, default=10_000)
    p.add_argument("--max-len", type=int, default=60)
    p.add_argument("--num-layers", type=int, default=1)
    p.add_argument("--embed-size", type=int, default=64)
    p.add_argument("--hidden-size", type=int, default=64)
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--weight-decay", type=float, default=0.0, help="L2, through the optimiser")
    p.add_argument("--l1", type=float, default=0.0, help="L1 penalty on the weight matrices")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=4e-3)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--keep-best", action="store_true", help="end on each variant's best validation accuracy")
    p.add_argument("--repeats", type=int, default=1, help="train once per seed (seed, seed+1, ...): mean and range")
    p.add_argument("--out", default=None, help="save the (first) variant as FILE.safetensors, with a model card")
    p.add_argument("--json", action="store_true")


def variants_of(args) -> tuple[str, ...]:
    if args.variants:
        return tuple(v.strip() for v in args.variants.split(",") if v.strip())
    if args.cell:
        suffix = "" if args.pooling == "last" else f"+{args.pooling}"
        return (args.cell + ("-bi" if args.bidirectional else "") + suffix,)
    return DEFAULT_VARIANTS


def run_classify(args) -> int:
    import time
    from dataclasses import replace
    from pathlib import Path

    import torch
    from tqdm import tqdm

    from rnnviz.classify.checkpoint import save_classifier
    from rnnviz.classify.data import read_table
    from rnnviz.device import describe_device
    from rnnviz.labs.classify_lab import ClassifyLab, ClassifyLabConfig

    table = None
    if args.data not in SENTIMENT_SETS:
        path = Path(args.data)
        if not path.is_file():
            raise ValueError(f"--data {args.data!r} is neither a shipped set ({', '.join(SENTIMENT_SETS)}) nor a file")
        table = read_table(path.read_bytes(), path.name, args.text_column, args.label_column)
    config = ClassifyLabConfig(
        data=args.data if table is None else "movie-sentences",
        variants=variants_of(args),
        tokens=args.tokens,
        num_words=args.num_words,
        max_len=args.max_len,
        num_layers=args.num_layers,
        embed_size=args.embed_size,
        hidden_size=args.hidden_size,
        dropout=args.dropout,
        weight_decay=args.weight_decay,
        l1=args.l1,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        steps=args.steps,
        eval_every=max(1, args.steps // 10),
        seed=args.seed,
    )
    check_repeats(args.repeats, saving=bool(args.out))
    runs = []
    for repeat in range(args.repeats):  # every seed its own initialisation and batches, shared by its variants
        lab = ClassifyLab(replace(config, seed=args.seed + repeat), data=table)
        started = time.perf_counter()
        with tqdm(total=args.steps, unit="step", disable=args.json, file=sys.stderr) as bar:
            while not lab.finished:
                bar.update(lab.advance(1.0))
        wall = time.perf_counter() - started
        best_steps = lab.restore_best() if args.keep_best else None
        runs.append((lab, wall, best_steps, lab.test_accuracies()))
    lab, wall, best_steps, test = runs[0]
    validation = {
        r.name: (r.best_accuracy if args.keep_best else r.validation_accuracy[-1]) if r.validation_accuracy else None
        for r in lab.runs
    }
    summary = {
        "data": args.data,
        "steps": args.steps,
        "seed": args.seed,
        "wall_seconds": round(wall, 1),
        "hardware": describe_device(torch.device("cpu")),
        "sizes": {"train": len(lab.split.train), "validation": len(lab.split.validation), "test": len(lab.split.test)},
        "validation_accuracy": {**lab.baselines, **validation},
        "test_accuracy": test,
        "diverged": {r.name: r.diverged for r in lab.runs if r.diverged},
        "best_steps": best_steps,
    }
    if args.repeats > 1:
        summary["seeds"] = [{"seed": each.config.seed, "test_accuracy": scores} for each, _, _, scores in runs]
        summary["test_accuracy_over_seeds"] = over_seeds([seed["test_accuracy"] for seed in summary["seeds"]])
    if args.out:
        first = lab.runs[0]
        command = "python -m rnnviz " + " ".join(shlex.quote(a) for a in sys.argv[1:] if a != "--json")
        card = {
            "label": first.name,
            "data": args.data,
            "steps": args.steps,
            "best_step": first.best_step if args.keep_best else None,
            "seed": args.seed,
            "wall_seconds": round(wall, 1),
            "hardware": summary["hardware"],
            "parameters": sum(p.numel() for p in first.model.parameters()),
            "validation_accuracy": validation[first.name],
            "test_accuracy": test[first.name],
            "baselines_test": {"majority class": test["majority class"], "bag of words": test["bag of words"]},
            "training_command": command,
        }
        save_classifier(first.model, lab.tokenizer, lab.label_names, card, args.out)
        summary["out"] = args.out
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"{'model':>22}  {'validation':>10}  {'test':>6}   ({summary['sizes']})")
    for name, accuracy in test.items():
        held = summary["validation_accuracy"].get(name)
        print(f"{name:>22}  {held if held is not None else float('nan'):10.3f}  {accuracy:6.3f}")
    print_over_seeds(summary.get("test_accuracy_over_seeds", {}), f"test accuracy over {args.repeats} seeds", 22)
    print(f"{wall:.0f} s")
    return 0


def add_explain(sub) -> None:
    p = sub.add_parser("explain", help="a saved classifier's answer for a text, word by word")
    p.add_argument("checkpoint")
    p.add_argument("--text", required=True)
    p.add_argument("--json", action="store_true")


def run_explain(args) -> int:
    from rnnviz.classify.checkpoint import load_classifier
    from rnnviz.classify.explain import explain_sentence

    model, tokenizer, label_names, _ = load_classifier(args.checkpoint)
    result = explain_sentence(model, tokenizer, args.text, label_names)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    if not result["tokens"]:
        print("error: the text has no tokens", file=sys.stderr)
        return 2
    probabilities = ", ".join(f"{name} {p:.3f}" for name, p in zip(label_names, result["probabilities"]))
    print(f"{result['label']}: {result['predicted']} ({probabilities})")
    print(
        f"{'token':>14}  {'saliency':>9}  {'int. grad':>9}"
        + ("  P(" + result["target"] + ") so far" if result["prefix"] else "")
    )
    for i, token in enumerate(result["tokens"]):
        line = f"{token:>14}  {result['saliency'][i]:9.3f}  {result['integrated'][i]:9.3f}"
        if result["prefix"]:
            line += f"  {result['prefix'][i]:.3f}"
        print(line)
    return 0

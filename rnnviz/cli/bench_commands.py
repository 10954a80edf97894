"""``python -m rnnviz bench``: ``throughput`` (the Trainer against a bare fused loop) and ``scaling`` (training
speed and memory against sequence length for every cell, and the time of a generated token against its position)."""

from __future__ import annotations

import json

from rnnviz.charlm.scaling import CELLS, SEQ_LENS

SCALING_HELP = (
    "training tokens/s and peak memory against sequence length for lstm and gru (fused), mingru and minlstm "
    "(parallel scan and sequential), ssm and transformer at one parameter budget, each with its ratio to the fused "
    "GRU; then the time per generated token against position. Peak memory: on cuda torch.cuda.max_memory_allocated, "
    "on a CPU the resident set's high-water mark (/proc/self/status VmHWM, reset after malloc_trim), both over one "
    "step after the timed ones, less what was held before it; tracemalloc cannot see PyTorch's tensors."
)


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def _keys(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def add_bench(sub) -> None:
    p = sub.add_parser("bench", help="benchmarks: throughput, scaling")
    which = p.add_subparsers(dest="what", required=True)

    t = which.add_parser("throughput", help="the rnnviz Trainer against a bare fused training loop")
    t.add_argument("--device", default="auto")
    t.add_argument("--hidden-size", "--hidden", type=int, default=256)
    t.add_argument("--seq-len", type=int, default=100)
    t.add_argument("--batch-size", type=int, default=64)
    t.add_argument("--steps", type=int, default=30)
    t.add_argument("--repeats", type=int, default=5, help="interleaved trainer/bare pairs per cell (median reported)")
    t.add_argument("--json", action="store_true")

    s = which.add_parser("scaling", help="time and memory against sequence length", description=SCALING_HELP)
    s.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    s.add_argument("--seq-lens", type=_ints, default=SEQ_LENS, help="comma-separated, e.g. 64,256,1024,4096")
    s.add_argument("--cells", type=_keys, default=CELLS, help="registry keys, e.g. gru,mingru,transformer")
    s.add_argument(
        "--hidden", type=int, default=128, help="the budget: a one-layer LSTM this wide (every model matches it)"
    )
    s.add_argument("--embed", type=int, default=32)
    s.add_argument("--tokens-per-step", type=int, default=4096, help="batch size = this // T")
    s.add_argument("--steps", type=int, default=2, help="timed training steps per row, after one warm-up")
    s.add_argument(
        "--generation-tokens", type=int, default=5, help="timed generated tokens per position (0: skip generation)"
    )
    s.add_argument("--threads", type=int, default=1, help="torch threads (the app trains on one)")
    s.add_argument("--corpus", default="python-docs", help="python-docs | python-code | shakespeare | PATH")
    s.add_argument("--json", action="store_true", help="a list of rows: cell, mode, seq_len, tokens_per_s, ...")


def run_bench(args) -> int:
    return run_scaling(args) if args.what == "scaling" else run_throughput(args)


def run_throughput(args) -> int:
    from rnnviz.charlm.throughput import results_as_dicts, run_throughput

    results = run_throughput(
        hidden_size=args.hidden_size,
        seq_len=args.seq_len,
        batch_size=args.batch_size,
        steps=args.steps,
        repeats=args.repeats,
        device=args.device,
    )
    if args.json:
        print(json.dumps(results_as_dicts(results), indent=2))
    else:
        for r in results:
            print(
                f"{r.cell:5s} trainer {r.trainer_tokens_per_s:>12,.0f} tok/s   bare loop "
                f"{r.bare_tokens_per_s:>12,.0f} tok/s   ratio median {r.ratio:.3f} "
                f"(min-max {r.ratio_min:.3f}-{r.ratio_max:.3f}, {r.pairs} interleaved pairs)   ({r.device})"
            )
    return 0


def run_scaling(args) -> int:
    from rnnviz.charlm.batches import CorpusData
    from rnnviz.charlm.corpora import load_corpus
    from rnnviz.charlm.scaling import ScalingConfig
    from rnnviz.charlm.scaling import run_scaling as run

    config = ScalingConfig(
        seq_lens=args.seq_lens,
        cells=args.cells,
        budget_hidden=args.hidden,
        embed_size=args.embed,
        tokens_per_step=args.tokens_per_step,
        steps=args.steps,
        generation_tokens=args.generation_tokens,
        threads=args.threads,
        device=args.device,
    )
    config.validate()
    rows = run(CorpusData.from_corpus(load_corpus(args.corpus)), config)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for measure, unit in (("training", "tok/s"), ("generation", "tok/s")):
        shown = [r for r in rows if r["measure"] == measure]
        if not shown:
            continue
        print(f"{measure} ({shown[0]['device']}, budget {shown[0]['budget_parameters']:,} parameters)")
        print(f"  {'cell':<14}{'mode':<11}{'T':>6}{unit:>12}{'peak MB':>10}{'x GRU':>8}{'hidden':>8}")
        for r in shown:
            ratio = "" if r["ratio_to_gru"] is None else f"{r['ratio_to_gru']:.2f}"
            peak = "" if r["peak_mb"] is None else f"{r['peak_mb']:.1f}"
            print(
                f"  {r['label']:<14}{r['mode']:<11}{r['seq_len']:>6}{r['tokens_per_s']:>12,.0f}{peak:>10}"
                f"{ratio:>8}{r['hidden_size']:>8}"
            )
    return 0

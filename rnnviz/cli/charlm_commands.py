"""Subcommands of the character language model: train, generate, eval (the benchmarks are in ``bench_commands``)."""

from __future__ import annotations

import json
import shlex
import sys

from rnnviz.cells import MODEL_CELLS, NONLINEARITIES
from rnnviz.charlm.batches import BPTT_MODES
from rnnviz.charlm.initialization import INIT_SCHEMES
from rnnviz.charlm.trainer import OPTIMIZERS, SCHEDULES
from rnnviz.charlm.vocab import TOKEN_KINDS


def add_train(sub) -> None:
    p = sub.add_parser("train", help="train a character- or word-level model and save a .safetensors checkpoint")
    p.add_argument("--corpus", default="python-docs", help="python-docs | python-code | shakespeare | PATH")
    p.add_argument(
        "--tokens",
        choices=TOKEN_KINDS,
        default="chars",
        help="characters, or words and punctuation (the 10,000 most frequent; the rest <unk>)",
    )
    p.add_argument("--cell", choices=MODEL_CELLS, default="lstm")
    p.add_argument("--nonlinearity", choices=NONLINEARITIES, default="tanh")
    p.add_argument("--state-size", type=int, default=8, help="ssm: the state each channel keeps (N)")
    p.add_argument("--context-size", "--context", type=int, default=256, help="transformer: its fixed window")
    p.add_argument("--num-heads", "--heads", type=int, default=4, help="transformer: attention heads")
    p.add_argument(
        "--sequential-scan",
        action="store_true",
        help="mingru, minlstm, ssm: train step by step instead of all steps at once (a blocked parallel scan)",
    )
    p.add_argument("--hidden-size", "--hidden", type=int, default=128)
    p.add_argument("--num-layers", "--layers", type=int, default=1)
    p.add_argument("--embed-size", "--embed", type=int, default=64)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--seq-len", type=int, default=64)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", "--lr", type=float, default=2e-3)
    p.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--no-clip", action="store_true", help="turn gradient clipping off")
    p.add_argument("--clip-norm", type=float, default=1.0)
    p.add_argument("--bptt", choices=BPTT_MODES, default="random")
    p.add_argument("--schedule", choices=SCHEDULES, default="constant")
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--eval-every", type=int, default=200)
    p.add_argument("--keep-best", action="store_true", help="keep the weights with the best validation loss")
    p.add_argument("--init", choices=INIT_SCHEMES, default="default")
    p.add_argument("--radius", type=float, default=None, help="rescale W_hh to this spectral radius")
    p.add_argument("--forget-bias", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto")
    p.add_argument("--time-limit", type=float, default=None, help="stop after this many seconds (safety net)")
    p.add_argument("--half", action="store_true", help="store weights as float16 (half the file size)")
    p.add_argument("--out", required=True, help="FILE.safetensors")
    p.add_argument("--json", action="store_true")


def run_train(args) -> int:
    import torch
    from tqdm import tqdm

    from rnnviz.charlm.checkpoint import save_checkpoint
    from rnnviz.charlm.initialization import InitConfig
    from rnnviz.charlm.trainer import TrainConfig
    from rnnviz.charlm.training_run import RunSpec, train_run

    train = TrainConfig(
        seq_len=args.seq_len,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        optimizer=args.optimizer,
        weight_decay=args.weight_decay,
        clip=not args.no_clip,
        clip_norm=args.clip_norm,
        bptt=args.bptt,
        seed=args.seed,
        eval_every=args.eval_every,
        eval_chars=None if args.keep_best else 20_000,
        lr_schedule=args.schedule,
        warmup_steps=args.warmup,
        total_steps=args.steps,
        keep_best=args.keep_best,
    )
    init = InitConfig(scheme=args.init, spectral_radius=args.radius, forget_bias=args.forget_bias)
    model = dict(
        cell=args.cell,
        hidden_size=args.hidden_size,
        num_layers=args.num_layers,
        embed_size=args.embed_size,
        dropout=args.dropout,
        nonlinearity=args.nonlinearity,
        state_size=args.state_size,
        context_size=args.context_size,
        num_heads=args.num_heads,
        parallel_scan=not args.sequential_scan,
    )
    _fetch_with_progress(args.corpus, quiet=args.json)
    command = "python -m rnnviz " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    spec = RunSpec(
        corpus=args.corpus,
        model=model,
        train=train,
        init=init,
        steps=args.steps,
        device=args.device,
        command=command,
        time_limit_s=args.time_limit,
        tokens=args.tokens,
    )
    bar = tqdm(total=args.steps, unit="step", disable=args.json, file=sys.stderr)

    def progress(report):
        bar.update(report.step - bar.n)
        postfix = {"loss": f"{report.train_loss:.3f}", "tok/s": f"{report.tokens_per_s:,.0f}"}
        if report.val_loss is not None:
            postfix["val"] = f"{report.val_loss:.3f}"
        bar.set_postfix(postfix)

    ckpt = train_run(spec, progress)
    bar.close()
    save_checkpoint(ckpt, args.out, dtype=torch.float16 if args.half else torch.float32)
    summary = {"out": args.out, **ckpt.card, "diverged": ckpt.metrics.get("diverged")}
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        if summary["diverged"]:
            print(f"Training {summary['diverged']}")
        else:
            unit = ckpt.vocab.unit
            print(f"val loss {summary['val_loss_nats']:.4f} nats/{unit} ({summary['val_bpc']:.4f} bits/{unit})")
        print(f"saved {args.out}")
    return 0


def _fetch_with_progress(corpus: str, quiet: bool = False) -> None:
    """Download Tiny Shakespeare on first use with a progress bar (later loads read the cache)."""
    from tqdm import tqdm

    from rnnviz.charlm.corpora import shakespeare_path, shakespeare_text

    if corpus != "shakespeare" or shakespeare_path().is_file():
        return
    with tqdm(unit="B", unit_scale=True, desc="Tiny Shakespeare", disable=quiet, file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total or None
            bar.update(done - bar.n)

        shakespeare_text(progress)


def add_generate(sub) -> None:
    p = sub.add_parser("generate", help="generate text from a checkpoint")
    p.add_argument("checkpoint")
    p.add_argument("--prompt", default="")
    p.add_argument("--length", type=int, default=300)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--top-k", type=int, default=None)
    p.add_argument("--top-p", type=float, default=None)
    p.add_argument("--greedy", action="store_true")
    p.add_argument("--seed", type=int, default=0)


def run_generate(args) -> int:
    from rnnviz.charlm.checkpoint import load_checkpoint
    from rnnviz.charlm.generation import SamplingConfig, stream_generate

    ckpt = load_checkpoint(args.checkpoint)
    config = SamplingConfig(
        length=args.length,
        temperature=args.temperature,
        top_k=args.top_k,
        top_p=args.top_p,
        greedy=args.greedy,
        seed=args.seed,
    )
    unknown = ckpt.vocab.unknown(args.prompt)
    if unknown:
        kind = "words" if ckpt.vocab.kind == "words" else "characters"
        what = f"read as <unk>: {kind}" if ckpt.vocab.reads_unknown_as_unk else "skipped characters"
        print(f"note: {what} not in the vocabulary: {unknown}", file=sys.stderr)
    sys.stdout.write(args.prompt)
    for piece in stream_generate(ckpt.model, ckpt.vocab, args.prompt, config):
        sys.stdout.write(piece.char)
        sys.stdout.flush()
    sys.stdout.write("\n")
    return 0


def add_eval(sub) -> None:
    p = sub.add_parser("eval", help="validation loss of a checkpoint (last 10%% of the corpus)")
    p.add_argument("checkpoint")
    p.add_argument("--corpus", default=None, help="defaults to the checkpoint's own corpus")
    p.add_argument("--max-chars", type=int, default=None, help="only the first N validation characters")
    p.add_argument("--window", type=int, default=256)
    p.add_argument("--streams", type=int, default=16)
    p.add_argument("--device", default="auto")
    p.add_argument(
        "--baselines",
        action="store_true",
        help="also the uniform, unigram, bigram and best n-gram losses on the same tokens",
    )
    p.add_argument(
        "--write-card",
        action="store_true",
        help="write both figures into the model card (the tensors are left as they are)",
    )
    p.add_argument("--json", action="store_true")


def run_eval(args) -> int:
    from rnnviz.charlm.checkpoint import load_checkpoint
    from rnnviz.charlm.corpora import load_corpus
    from rnnviz.charlm.evaluation import bits_per_char, evaluate_loss, evaluate_loss_zero_state
    from rnnviz.charlm.vocab import split_train_val
    from rnnviz.device import pick_device

    ckpt = load_checkpoint(args.checkpoint, device=pick_device(args.device))
    corpus_name = args.corpus or ckpt.card.get("corpus") or "python-docs"
    _fetch_with_progress(corpus_name, quiet=args.json)
    corpus = load_corpus(corpus_name)
    ids = ckpt.vocab.encode(corpus.text, unknown="skip")
    _, val = split_train_val(ids)
    if args.max_chars is not None:
        val = val[: args.max_chars + 1]
    loss = evaluate_loss(ckpt.model, val, window=args.window, streams=args.streams)
    zero_state = evaluate_loss_zero_state(ckpt.model, val, window=args.window)
    result = {
        "checkpoint": args.checkpoint,
        "corpus": corpus.name,
        "corpus_sha256_matches": corpus.sha256 == ckpt.corpus_sha256,
        "tokens": ckpt.vocab.kind,
        "val_chars": len(val) - 1,  # tokens, for a word model
        "val_loss": loss,
        "val_bpc": bits_per_char(loss),
        "method": (
            f"last 10% of the corpus, {args.streams} streams, windows of {args.window}, hidden state carried over"
        ),
        "val_loss_zero_state_windows": zero_state,
        "val_bpc_zero_state_windows": bits_per_char(zero_state),
        "zero_state_method": (
            f"last 10% of the corpus in non-overlapping windows of {args.window}, each from a zero state "
            "(how nanoGPT scores its character-level GPT)"
        ),
    }
    if args.baselines:
        from rnnviz.charlm.baselines import compute_baselines
        from rnnviz.charlm.batches import CorpusData

        train_part, val_part = CorpusData.from_corpus(corpus, vocab=ckpt.vocab).baseline_sequences()
        counted = compute_baselines(train_part, val_part, ckpt.vocab.size)
        every = {f"{n}-gram": loss for n, loss in counted.by_order.items() if n > 2}
        method = "fitted on the first 90%, scored on the last 10%"
        result["baselines"] = {**counted.as_lines(), **every, "method": method}
    if args.write_card:
        from pathlib import Path

        from rnnviz.charlm.checkpoint import atomic_write_bytes, with_card_updates

        if args.max_chars is not None:
            raise ValueError("--write-card records the whole validation split: leave out --max-chars")
        updates = {
            key: result[key]
            for key in ("val_loss_zero_state_windows", "val_bpc_zero_state_windows", "zero_state_method")
        }
        if "baselines" in result:
            updates["baselines"] = result["baselines"]
        path = Path(args.checkpoint)
        atomic_write_bytes(path, with_card_updates(path.read_bytes(), updates))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        unit = ckpt.vocab.unit
        print(f"val loss {loss:.4f} nats/{unit} ({bits_per_char(loss):.4f} bits/{unit}), hidden state carried over")
        print(
            f"val loss {zero_state:.4f} nats/{unit} ({bits_per_char(zero_state):.4f} bits/{unit}), windows of "
            f"{args.window} from a zero state"
        )
        for name, value in result.get("baselines", {}).items():
            if name != "method":
                print(f"baseline {name}: {value:.4f} nats/{unit}")
    return 0

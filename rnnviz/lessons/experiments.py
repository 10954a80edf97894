"""What a lesson step runs, how its result reads, and the code a notebook uses to run it again.

An experiment is either instant (``run(values)`` returns the result at once: gradient decay at initialisation,
the neurons of a pretrained model) or live (``run(values)`` returns a ``LiveJob`` that the page trains in the
background, and the job's last snapshot is the result). Either way ``summarise(result)`` turns it into the sentence
the page reveals beside the student's prediction, and ``bench/lessons.py`` prints, and ``code(values)`` writes the
same experiment as a few lines of plain rnnviz for the exported notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rnnviz.cells import BY_LABEL
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import load_corpus
from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.trainer import TrainConfig
from rnnviz.classify.checkpoint import load_classifier
from rnnviz.classify.explain import explain_sentence, negation_probe
from rnnviz.i18n import t
from rnnviz.introspect import trace_text
from rnnviz.introspect.neurons import find_neurons
from rnnviz.introspect.saturation import gate_saturation
from rnnviz.labs.classify_lab import ClassifyLab, ClassifyLabConfig
from rnnviz.labs.gradient_decay import gradflow_at_init
from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig
from rnnviz.labs.memory_task_lab import MemoryTaskConfig, MemoryTaskLab
from rnnviz.labs.seq2seq_lab import Seq2SeqLab, Seq2SeqLabConfig
from rnnviz.labs.tagging_lab import TaggingLab, TaggingLabConfig
from rnnviz.pretrained import CLASSIFIERS, TAGGERS, load_pretrained, pretrained_path
from rnnviz.seq2seq.checkpoint import load_seq2seq
from rnnviz.seq2seq.model import translate
from rnnviz.seq2seq.tasks import Seq2SeqVocab
from rnnviz.tagging.checkpoint import load_tagger
from rnnviz.tagging.explain import compare_directions, explain_text

CODE_SNIPPET = '''def total(prices, tax=0.2):
    """Add the tax to every price."""
    result = []
    for price in prices:
        if price > 0:
            result.append(round(price * (1 + tax), 2))
    return sum(result)


print("total:", total([1.5, (2 + 3) * 4, max([7, 8])]))
'''


@dataclass(frozen=True, kw_only=True)
class Experiment:
    live: bool
    view: str  # how a page draws the result: decay, task, language_models, seq2seq, neurons, saturation, translate
    run: Callable[[dict], Any]  # instant: the result (a dict); live: a LiveJob
    summarise: Callable[[dict], str]
    code: Callable[[dict], str]


# -- gradient decay at initialisation ------------------------------------------------------------------------------


def _variant(name: str, values: dict) -> tuple[str, dict]:
    """A named model of the decay experiments -> (label, keyword arguments of gradflow_at_init)."""
    seq_len = values.get("seq_len", 100)
    if name == "rnn-identity":
        radius = values["radius"]
        init = InitConfig(scheme="identity", spectral_radius=radius)
        return f"RNN, W_hh = {radius:g} I", {"cell": "rnn", "init": init, "input_scale": 1e-4}
    if name == "rnn-relu-radius":
        radius = values["radius"]
        init = InitConfig(scheme="orthogonal", spectral_radius=radius)
        return f"RNN (relu), radius {radius:g}", {"cell": "rnn", "nonlinearity": "relu", "init": init}
    if name == "lstm-forget-bias":
        bias = values["forget_bias"]
        return f"LSTM [forget bias {bias:g}]", {"cell": "lstm", "init": InitConfig(forget_bias=bias or None)}
    if name == "lstm-chrono":
        return f"LSTM [chrono, T = {seq_len}]", {"cell": "lstm", "init": InitConfig(chrono_t_max=seq_len)}
    kind = BY_LABEL[name]
    return name, {"cell": kind.module, "nonlinearity": kind.nonlinearity}


def _decay(values: dict) -> dict:
    series, rows = {}, []
    for name in values["variants"]:
        label, kwargs = _variant(name, values)
        result = gradflow_at_init(
            hidden_size=values.get("hidden_size", 128),
            seq_len=values.get("seq_len", 100),
            seed=values.get("seed", 0),
            **kwargs,
        )
        series[label] = result.relative_by_distance
        rate = result.decay_per_step
        rows.append(
            {
                "model": label,
                "decay per step": rate,
                "left after 50 steps": result.relative_by_distance[50]
                if len(result.relative_by_distance) > 50
                else None,
                "spectral radius of W_hh": result.spectral_radius,
                "mean forget / update gate": result.mean_forget_or_update_gate,
            }
        )
    return {"series": series, "rows": rows}


def _decay_summary(result: dict) -> str:
    parts = []
    for row in result["rows"]:
        remaining = row["left after 50 steps"]
        left = t("lessons.summary.left_after", left=f"{remaining:.0e}") if remaining else ""
        parts.append(t("lessons.summary.per_step", model=row["model"], rate=row["decay per step"], left=left))
    return "; ".join(parts) + "."


def _decay_code(values: dict) -> str:
    lines = [
        "from rnnviz.charlm.initialization import InitConfig",
        "from rnnviz.labs.gradient_decay import describe_decay, gradflow_at_init",
        "",
    ]
    for name in values["variants"]:
        label, kwargs = _variant(name, values)
        args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
        lines.append(
            f"result = gradflow_at_init({args}, hidden_size={values.get('hidden_size', 128)}, "
            f"seq_len={values.get('seq_len', 100)})"
        )
        lines.append(f"print({label!r}, describe_decay(result.decay_per_step))")
    return "\n".join(lines)


# -- long-memory tasks -----------------------------------------------------------------------------------------------


def _task_config(values: dict) -> MemoryTaskConfig:
    fields = MemoryTaskConfig.__dataclass_fields__
    return MemoryTaskConfig(**{k: v for k, v in values.items() if k in fields})


def _task_summary(snapshot: dict) -> str:
    current = snapshot.get("current", snapshot) if "sweep" in snapshot else snapshot
    rows, aggregate = current["summary"], current["aggregate"]
    baseline = rows[0]["baseline"] if rows else float("nan")
    head = t("lessons.summary.task_head", label=current["label"], baseline=baseline)
    if len(aggregate) < len(rows):  # several seeds: the aggregate is the result
        parts = [
            t(
                "lessons.summary.seeds_solved",
                cell=row["cell"],
                solved=row["solved"],
                mean=row["mean held-out loss"],
                best=row["best"],
                worst=row["worst"],
            )
            + (
                t("lessons.summary.mean_accuracy", accuracy=row["mean accuracy"])
                if row["mean accuracy"] is not None
                else ""
            )
            for row in aggregate
            if row["mean held-out loss"] is not None
        ]
        return f"{head}: " + "; ".join(parts) + "."
    parts = []
    for row in rows:
        loss = row["held-out loss"]
        if loss is None:
            continue
        accuracy = t("lessons.summary.accuracy", accuracy=row["accuracy"]) if row["accuracy"] is not None else ""
        verdict = t(
            "lessons.summary.solved"
            if row["solved"]
            else "lessons.summary.beats"
            if loss < 0.5 * baseline
            else "lessons.summary.no_better"
        )
        parts.append(t("lessons.summary.task_row", cell=row["cell"], loss=loss, accuracy=accuracy, verdict=verdict))
    return f"{head}: " + "; ".join(parts) + "."


def _task_code(values: dict) -> str:
    config = _task_config(values)
    return (
        "from rnnviz.labs.memory_task_lab import MemoryTaskConfig, train_memory_task\n\n"
        f"config = MemoryTaskConfig(task={config.task!r}, length={config.length}, cells={config.cells!r}, "
        f"hidden_size={config.hidden_size}, learning_rate={config.learning_rate}, steps={config.steps}, "
        f"eval_every={config.eval_every}, repeats={config.repeats})\n"
        "lab = train_memory_task(config)\n"
        "for row in lab.summary():\n"
        "    print(row['cell'], 'seed', row['seed'], 'held-out loss', round(row['held-out loss'], 4),\n"
        "          'baseline', round(row['baseline'], 4), 'solved' if row['solved'] else '')\n"
        "for row in lab.aggregate():\n"
        "    print(row['cell'], 'solved', row['solved'], 'of the seeds')"
    )


# -- language models on the Python docs ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _python_docs() -> CorpusData:
    return CorpusData.from_corpus(load_corpus("python-docs"))


def _language_config(values: dict) -> LanguageModelLabConfig:
    init = InitConfig(scheme=values.get("init", "default"), spectral_radius=values.get("radius"))
    train = TrainConfig(
        seq_len=values.get("seq_len", 64),
        batch_size=values.get("batch_size", 32),
        learning_rate=values.get("learning_rate", 3e-3),
        clip=values.get("clip", True),
        clip_norm=1.0,
        seed=values.get("seed", 0),
        eval_every=values.get("eval_every", 50),
        eval_chars=4_000,
    )
    return LanguageModelLabConfig(
        cells=tuple(values["cells"]),
        hidden_size=values.get("hidden_size", 64),
        embed_size=32,
        init=init,
        train=train,
        steps=values["steps"],
        same_budget=values.get("same_budget", False),
        sample_every=0,
    )


def _language_summary(snapshot: dict) -> str:
    parts = []
    for row in snapshot["summaries"]:
        if row["status"] == "diverged":
            reason = dict(snapshot["diverged"]).get(row["cell"], "diverged")
            parts.append(
                t("lessons.summary.lm_diverged", cell=row["cell"], n=row["parameters"], reason=reason.split(":")[0])
            )
        else:
            val = row["val loss"] if row["val loss"] is not None else row["train loss"]
            parts.append(
                t("lessons.summary.lm_row", cell=row["cell"], n=row["parameters"], loss=f"{val:.4g}", step=row["step"])
            )
    return "; ".join(parts) + "."


def _language_code(values: dict) -> str:
    config = _language_config(values)
    return (
        "from rnnviz.charlm.batches import CorpusData\nfrom rnnviz.charlm.corpora import load_corpus\n"
        "from rnnviz.charlm.initialization import InitConfig\nfrom rnnviz.charlm.trainer import TrainConfig\n"
        "from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig\n\n"
        f"train = TrainConfig(seq_len={config.train.seq_len}, batch_size={config.train.batch_size}, "
        f"learning_rate={config.train.learning_rate}, clip={config.train.clip}, eval_every=0)\n"
        f"init = InitConfig(scheme={config.init.scheme!r}, spectral_radius={config.init.spectral_radius!r})\n"
        f"config = LanguageModelLabConfig(cells={config.cells!r}, hidden_size={config.hidden_size}, "
        f"same_budget={config.same_budget}, init=init, train=train, steps={config.steps}, sample_every=0)\n"
        "lab = LanguageModelLab(CorpusData.from_corpus(load_corpus('python-docs')), config)\n"
        "while not lab.finished:\n    lab.advance(1.0)\n"
        "for row in lab.snapshot()['summaries']:\n"
        "    print(row['cell'], row['parameters'], 'parameters, loss', row['train loss'], row['status'])"
    )


# -- seq2seq with and without attention ------------------------------------------------------------------------------


def _seq2seq_config(values: dict) -> Seq2SeqLabConfig:
    fields = Seq2SeqLabConfig.__dataclass_fields__
    return Seq2SeqLabConfig(**{k: v for k, v in values.items() if k in fields})


def _seq2seq_summary(snapshot: dict) -> str:
    parts = [
        t("lessons.summary.exact", name=run["name"], share=run["accuracy"][-1])
        for run in snapshot["runs"]
        if run["accuracy"]
    ]
    return t("lessons.summary.exact_head", step=snapshot["step"]) + "; ".join(parts) + "."


def _seq2seq_code(values: dict) -> str:
    c = _seq2seq_config(values)
    return (
        "from rnnviz.labs.seq2seq_lab import Seq2SeqLab, Seq2SeqLabConfig\n\n"
        f"config = Seq2SeqLabConfig(task={c.task!r}, attentions={c.attentions!r}, hidden_size={c.hidden_size}, "
        f"length={c.length}, steps={c.steps}, eval_every={c.eval_every}, eval_examples={c.eval_examples})\n"
        "lab = Seq2SeqLab(config)\nwhile not lab.finished:\n    lab.advance(1.0)\n"
        "for run in lab.runs:\n    print(run.name, 'held-out exact match', run.accuracies[-1])"
    )


# -- inside the pretrained python-code LSTM --------------------------------------------------------------------------


def _neurons(values: dict) -> dict:
    ckpt = load_pretrained("python-code-lstm")
    trace = trace_text(ckpt.model, ckpt.vocab, values.get("text", CODE_SNIPPET))
    feature = values["feature"]
    best = find_neurons(trace, top=3)[feature]
    top = best[0]
    series = trace.layers[top.layer].c if top.state == "c" else trace.layers[top.layer].h
    unit = series[:, top.unit]  # (T,)
    scale = float(unit.abs().max()) or 1.0
    return {
        "feature": feature,
        "text": trace.text,
        "best": top.describe(),
        "r": top.correlation,
        "values": (unit / scale).tolist(),
        "rows": [{"unit": m.describe(), "r": m.correlation} for m in best],
    }


def _neurons_code(values: dict) -> str:
    return (
        "from rnnviz.introspect import trace_text\nfrom rnnviz.introspect.neurons import find_neurons\n"
        "from rnnviz.lessons.experiments import CODE_SNIPPET\nfrom rnnviz.pretrained import load_pretrained\n\n"
        "ckpt = load_pretrained('python-code-lstm')\ntrace = trace_text(ckpt.model, ckpt.vocab, CODE_SNIPPET)\n"
        f"for match in find_neurons(trace)[{values['feature']!r}]:\n    print(match.describe())"
    )


def _saturation(values: dict) -> dict:
    ckpt = load_pretrained("python-code-lstm")
    trace = trace_text(ckpt.model, ckpt.vocab, values.get("text", CODE_SNIPPET))
    layer = values.get("layer", 0)
    rows = []
    for gate, fractions in gate_saturation(trace)[layer].items():
        left, right = fractions["left"], fractions["right"]
        rows.append({"gate": gate, "below 0.1": sum(left) / len(left), "above 0.9": sum(right) / len(right)})
    return {"rows": rows, "layer": layer, "saturation": gate_saturation(trace)}


def _saturation_summary(result: dict) -> str:
    return (
        t("lessons.summary.layer", layer=result["layer"])
        + "; ".join(
            t("lessons.summary.saturation", gate=r["gate"], below=r["below 0.1"], above=r["above 0.9"])
            for r in result["rows"]
        )
        + "."
    )


def _saturation_code(values: dict) -> str:
    return (
        "from rnnviz.introspect import trace_text\nfrom rnnviz.introspect.saturation import gate_saturation\n"
        "from rnnviz.lessons.experiments import CODE_SNIPPET\nfrom rnnviz.pretrained import load_pretrained\n\n"
        "ckpt = load_pretrained('python-code-lstm')\ntrace = trace_text(ckpt.model, ckpt.vocab, CODE_SNIPPET)\n"
        f"for gate, f in gate_saturation(trace)[{values.get('layer', 0)}].items():\n"
        "    left, right = sum(f['left']) / len(f['left']), sum(f['right']) / len(f['right'])\n"
        "    print(gate, 'below 0.1:', round(left, 3), 'above 0.9:', round(right, 3))"
    )


# -- the pretrained dates model ------------------------------------------------------------------------------------


def _translate(values: dict) -> dict:
    path = pretrained_path("dates-seq2seq.safetensors")
    if path is None:
        raise FileNotFoundError("the pretrained dates model is not installed")
    model, _, _ = load_seq2seq(path)
    return translate(model, Seq2SeqVocab(), values["text"], width=1)


def _translate_summary(result: dict) -> str:
    attention = result["attention"] or []
    looks = []
    for index, row in enumerate(attention[: len(result["output"])]):
        where = max(range(len(row)), key=row.__getitem__)
        looks.append(f"'{result['output'][index]}' <- '{result['source'][where]}'")
    return t("lessons.summary.translate", source=result["source"], output=result["output"]) + ", ".join(looks)


def _translate_code(values: dict) -> str:
    return (
        "from rnnviz.pretrained import pretrained_path\nfrom rnnviz.seq2seq.checkpoint import load_seq2seq\n"
        "from rnnviz.seq2seq.model import translate\nfrom rnnviz.seq2seq.tasks import Seq2SeqVocab\n\n"
        "model, task, card = load_seq2seq(pretrained_path('dates-seq2seq.safetensors'))\n"
        f"result = translate(model, Seq2SeqVocab(), {values['text']!r})\nprint(result['output'])"
    )


# -- tagging: one direction or two ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pretrained_taggers() -> dict:
    paths = {label: pretrained_path(filename) for label, filename in TAGGERS.items()}
    missing = [filename for label, filename in TAGGERS.items() if paths[label] is None]
    if missing:
        raise FileNotFoundError(f"the pretrained taggers are not installed: {', '.join(missing)}")
    return {label: load_tagger(path) for label, path in paths.items()}


def _tag_pair(values: dict) -> dict:
    readings = [explain_text(model, vocab, values["text"]) for model, vocab, _ in _pretrained_taggers().values()]
    return {"readings": readings, "focus": values.get("focus", "")}


def _tag_pair_summary(result: dict) -> str:
    parts = []
    for reading in result["readings"]:
        found = ", ".join(f"{e['text']} ({e['kind']})" for e in reading["entities"]) or t("lessons.summary.nothing")
        parts.append(t("lessons.summary.found", label=reading["label"], found=found))
    return "; ".join(parts) + "."


def _tag_pair_code(values: dict) -> str:
    return (
        "from rnnviz.pretrained import pretrained_path\nfrom rnnviz.tagging.checkpoint import load_tagger\n"
        "from rnnviz.tagging.explain import explain_text\n\n"
        f"for name in {tuple(TAGGERS.values())!r}:\n"
        "    model, vocab, card = load_tagger(pretrained_path(name))\n"
        f"    reading = explain_text(model, vocab, {values['text']!r})\n"
        "    print(reading['label'], [(e['text'], e['kind']) for e in reading['entities']])"
    )


def _directions(values: dict) -> dict:
    from rnnviz.tagging.data import peoples_daily_data

    taggers = _pretrained_taggers()
    (uni, vocab, _), (bi, _, _) = taggers["LSTM+CRF"], taggers["BiLSTM+CRF"]
    sentences = peoples_daily_data().splits["validation"].sentences[:: values.get("every", 4)]
    return {**compare_directions(uni, bi, vocab, sentences, limit=8), "sentences": len(sentences)}


def _directions_summary(result: dict) -> str:
    only_bi, only_uni = result["only_bidirectional"], result["only_unidirectional"]
    share = only_bi / max(1, only_bi + only_uni)
    return t(
        "lessons.summary.directions",
        gold=result["gold"],
        sentences=result["sentences"],
        both=result["both"],
        only_bi=only_bi,
        only_uni=only_uni,
        share=share,
    )


def _directions_code(values: dict) -> str:
    return (
        "from rnnviz.pretrained import pretrained_path\nfrom rnnviz.tagging.checkpoint import load_tagger\n"
        "from rnnviz.tagging.data import peoples_daily_data\nfrom rnnviz.tagging.explain import compare_directions"
        "\n\n"
        "uni, vocab, _ = load_tagger(pretrained_path('peoples-daily-lstm-crf.safetensors'))\n"
        "bi, _, _ = load_tagger(pretrained_path('peoples-daily-bilstm-crf.safetensors'))\n"
        f"sentences = peoples_daily_data().splits['validation'].sentences[::{values.get('every', 4)}]\n"
        "result = compare_directions(uni, bi, vocab, sentences)\n"
        "print({k: v for k, v in result.items() if k != 'examples'})"
    )


def _tagging_config(values: dict) -> TaggingLabConfig:
    fields = TaggingLabConfig.__dataclass_fields__
    return TaggingLabConfig(**{k: v for k, v in values.items() if k in fields})


def _tagging_summary(snapshot: dict) -> str:
    finished = [run for run in snapshot["runs"] if run["latest"]]
    parts = [
        t(
            "lessons.summary.tagging_row",
            name=run["name"],
            f1=run["latest"]["overall"]["f1"],
            invalid=run["latest"]["invalid_sentences"],
        )
        for run in finished
    ]
    baseline = snapshot["baseline"]["overall"]["f1"]
    return (
        t("lessons.summary.tagging_head", n=snapshot["eval_sentences"], step=snapshot["step"])
        + "; ".join(parts)
        + t("lessons.summary.tagging_baseline", f1=baseline)
    )


def _tagging_code(values: dict) -> str:
    c = _tagging_config(values)
    return (
        "from rnnviz.labs.tagging_lab import TaggingLab, TaggingLabConfig\n\n"
        f"config = TaggingLabConfig(cell={c.cell!r}, variants={c.variants!r}, hidden_size={c.hidden_size}, "
        f"steps={c.steps}, eval_every={c.eval_every}, eval_sentences={c.eval_sentences})\n"
        "lab = TaggingLab(config)\nwhile not lab.finished:\n    lab.advance(1.0)\n"
        "for run in lab.runs:\n    print(run.name, 'entity F1', run.scores[-1]['overall']['f1'])"
    )


# -- sentiment: reading order, a bag of words, "not" ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pretrained_classifiers() -> dict:
    paths = {role: pretrained_path(filename) for role, filename in CLASSIFIERS.items()}
    missing = [CLASSIFIERS[role] for role, path in paths.items() if path is None]
    if missing:
        raise FileNotFoundError(f"the pretrained classifiers are not installed: {', '.join(missing)}")
    return {role: load_classifier(path) for role, path in paths.items()}


def _classify_reading(values: dict) -> dict:
    model, tokenizer, labels, _ = _pretrained_classifiers()[values.get("model", "left-to-right")]
    return explain_sentence(model, tokenizer, values["text"], labels)


def _classify_reading_summary(result: dict) -> str:
    steps = ", ".join(f"{token} {p:.2f}" for token, p in zip(result["tokens"], result["prefix"] or []))
    top = max(range(len(result["tokens"])), key=lambda i: abs(result["integrated"][i]))
    answer = ", ".join(f"{p:.0%}" for p in result["probabilities"])
    share = f"{result['integrated'][top]:+.2f}"
    return t(
        "lessons.summary.reading",
        label=result["label"],
        predicted=result["predicted"],
        answer=answer,
        target=result["target"],
        steps=steps,
        word=result["tokens"][top],
        share=share,
    )


def _classify_reading_code(values: dict) -> str:
    filename = CLASSIFIERS[values.get("model", "left-to-right")]
    return (
        "from rnnviz.classify.checkpoint import load_classifier\nfrom rnnviz.classify.explain import "
        "explain_sentence\nfrom rnnviz.pretrained import pretrained_path\n\n"
        f"model, tokenizer, labels, card = load_classifier(pretrained_path({filename!r}))\n"
        f"result = explain_sentence(model, tokenizer, {values['text']!r}, labels)\n"
        "print(result['predicted'], list(zip(result['tokens'], result['prefix'] or result['integrated'])))"
    )


def _negation(values: dict) -> dict:
    from rnnviz.classify.baselines import BagOfWords
    from rnnviz.classify.data import load_sentiment_set, split
    from rnnviz.classify.explain import NEGATION_PAIRS

    probes = [
        {"model": model.config.label, **negation_probe(model, tokenizer, labels)}
        for model, tokenizer, labels, _ in _pretrained_classifiers().values()
    ]
    tokenizer = _pretrained_classifiers()["best"][1]
    bag = BagOfWords(split(load_sentiment_set()), tokenizer)
    phrases = [phrase for pair in NEGATION_PAIRS for phrase in pair]
    p = bag.probabilities(phrases)[:, 1].tolist()
    probes.append(
        {
            "model": "bag of words",
            "target": "positive",
            "pairs": [
                {"phrase": a, "negated": b, "p_phrase": p[2 * i], "p_negated": p[2 * i + 1]}
                for i, (a, b) in enumerate(NEGATION_PAIRS)
            ],
        }
    )
    return {"probes": probes}


def _negation_summary(result: dict) -> str:
    parts = []
    for probe in result["probes"]:
        flips = sum((pair["p_phrase"] - 0.5) * (pair["p_negated"] - 0.5) < 0 for pair in probe["pairs"])
        good = probe["pairs"][0]
        parts.append(
            t(
                "lessons.summary.negation",
                model=probe["model"],
                good=good["p_phrase"],
                not_good=good["p_negated"],
                flips=flips,
                n=len(probe["pairs"]),
            )
        )
    return "; ".join(parts) + "."


def _negation_code(values: dict) -> str:
    return (
        "from rnnviz.classify.checkpoint import load_classifier\nfrom rnnviz.classify.explain import negation_probe"
        "\nfrom rnnviz.pretrained import pretrained_path\n\n"
        f"for name in {tuple(CLASSIFIERS.values())!r}:\n"
        "    model, tokenizer, labels, _ = load_classifier(pretrained_path(name))\n"
        "    probe = negation_probe(model, tokenizer, labels)\n"
        "    print(model.config.label, [(p['phrase'], round(p['p_phrase'], 2), p['negated'], round(p['p_negated'], 2))"
        " for p in probe['pairs']])"
    )


def _classify_config(values: dict) -> ClassifyLabConfig:
    fields = ClassifyLabConfig.__dataclass_fields__
    return ClassifyLabConfig(**{k: v for k, v in values.items() if k in fields})


def _classify_summary(snapshot: dict) -> str:
    parts = [
        f"{run['name']} {run['validation_accuracy'][-1]:.3f}" for run in snapshot["runs"] if run["validation_accuracy"]
    ]
    baselines = snapshot["baselines"]
    return (
        t("lessons.summary.accuracy_head", step=snapshot["step"])
        + ", ".join(parts)
        + t("lessons.summary.baselines", bow=baselines["bag of words"], majority=baselines["majority class"])
    )


def _classify_code(values: dict) -> str:
    c = _classify_config(values)
    return (
        "from rnnviz.labs.classify_lab import ClassifyLab, ClassifyLabConfig\n\n"
        f"config = ClassifyLabConfig(variants={c.variants!r}, hidden_size={c.hidden_size}, steps={c.steps}, "
        f"eval_every={c.eval_every})\n"
        "lab = ClassifyLab(config)\nwhile not lab.finished:\n    lab.advance(1.0)\n"
        "print(lab.baselines)\nfor run in lab.runs:\n    print(run.name, 'held-out accuracy', "
        "run.validation_accuracy[-1])"
    )


EXPERIMENTS: dict[str, Experiment] = {
    "decay_at_init": Experiment(live=False, view="decay", run=_decay, summarise=_decay_summary, code=_decay_code),
    "memory_task": Experiment(
        live=True, view="task", run=lambda v: MemoryTaskLab(_task_config(v)), summarise=_task_summary, code=_task_code
    ),
    "language_models": Experiment(
        live=True,
        view="language_models",
        run=lambda v: LanguageModelLab(_python_docs(), _language_config(v)),
        summarise=_language_summary,
        code=_language_code,
    ),
    "seq2seq": Experiment(
        live=True,
        view="seq2seq",
        run=lambda v: Seq2SeqLab(_seq2seq_config(v)),
        summarise=_seq2seq_summary,
        code=_seq2seq_code,
    ),
    "neurons": Experiment(
        live=False, view="neurons", run=_neurons, summarise=lambda r: r["best"] + ".", code=_neurons_code
    ),
    "saturation": Experiment(
        live=False, view="saturation", run=_saturation, summarise=_saturation_summary, code=_saturation_code
    ),
    "translate": Experiment(
        live=False, view="translate", run=_translate, summarise=_translate_summary, code=_translate_code
    ),
    "tag_pair": Experiment(
        live=False, view="tag_pair", run=_tag_pair, summarise=_tag_pair_summary, code=_tag_pair_code
    ),
    "directions": Experiment(
        live=False, view="directions", run=_directions, summarise=_directions_summary, code=_directions_code
    ),
    "tagging": Experiment(
        live=True,
        view="tagging",
        run=lambda v: TaggingLab(_tagging_config(v)),
        summarise=_tagging_summary,
        code=_tagging_code,
    ),
    "classify_reading": Experiment(
        live=False,
        view="classify_reading",
        run=_classify_reading,
        summarise=_classify_reading_summary,
        code=_classify_reading_code,
    ),
    "negation": Experiment(
        live=False, view="negation", run=_negation, summarise=_negation_summary, code=_negation_code
    ),
    "classify": Experiment(
        live=True,
        view="classify",
        run=lambda v: ClassifyLab(_classify_config(v)),
        summarise=_classify_summary,
        code=_classify_code,
    ),
}


def run_headless(name: str, values: dict, chunk_seconds: float = 1.0) -> dict:
    """Run an experiment to its end without a page (benchmarks, tests): the result an instant experiment returns,
    or a live one's last snapshot."""
    experiment = EXPERIMENTS[name]
    outcome = experiment.run(values)
    if not experiment.live:
        return outcome
    while not outcome.finished:
        outcome.advance(chunk_seconds)
    return outcome.snapshot()

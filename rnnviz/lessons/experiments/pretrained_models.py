"""The instant experiments: what the shipped models do, read at once (no training).

Inside the python-code LSTM (a unit that tracks a feature of the text; how often its gates saturate), the dates
model's attention, the two taggers read one sentence or a quarter of the validation split, and the sentiment
classifiers read a sentence word by word or its negations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rnnviz.classify.checkpoint import load_classifier
from rnnviz.classify.explain import explain_sentence, negation_probe
from rnnviz.i18n import t
from rnnviz.introspect import trace_text
from rnnviz.introspect.neurons import find_neurons
from rnnviz.introspect.saturation import gate_saturation
from rnnviz.lessons.experiments.base import Experiment
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

# -- inside the pretrained python-code LSTM --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class UnitsConfig:
    feature: str  # a feature of rnnviz.introspect.neurons: "inside quotes", "bracket depth", ...
    model: str = "python-code-lstm"
    text: str = field(default=CODE_SNIPPET, repr=False)  # the snippet every lesson reads


def best_units(config: UnitsConfig) -> dict:
    """The unit whose state follows ``feature`` best over the text, its values scaled to [-1, 1], and the top 3."""
    ckpt = load_pretrained(config.model)
    trace = trace_text(ckpt.model, ckpt.vocab, config.text)
    best = find_neurons(trace, top=3)[config.feature]
    top = best[0]
    series = trace.layers[top.layer].c if top.state == "c" else trace.layers[top.layer].h
    unit = series[:, top.unit]  # (T,)
    scale = float(unit.abs().max()) or 1.0
    return {
        "feature": config.feature,
        "text": trace.text,
        "best": top.describe(),
        "r": top.correlation,
        "values": (unit / scale).tolist(),
        "rows": [{"unit": m.describe(), "r": m.correlation} for m in best],
    }


class Neurons(Experiment):
    key = "neurons"
    kind = "neurons"
    config_type = UnitsConfig
    imports = "from rnnviz.lessons.experiments.pretrained_models import UnitsConfig, best_units"
    body = """
for row in best_units(config)["rows"]:
    print(row["unit"])
"""

    def start(self, config: UnitsConfig) -> dict:
        return best_units(config)

    def summarise(self, result: dict) -> str:
        return result["best"] + "."

    def measure(self, result: dict, name: str, row: int = 0) -> float:
        """``abs r``: how closely the best unit follows the feature, whichever its sign."""
        return abs(float(result["rows"][row]["r"])) if name == "abs r" else super().measure(result, name, row)


@dataclass(frozen=True, kw_only=True)
class SaturationConfig:
    layer: int = 0
    model: str = "python-code-lstm"
    text: str = field(default=CODE_SNIPPET, repr=False)


def saturation_table(config: SaturationConfig) -> dict:
    """Per gate of one layer: the share of (unit, character) pairs below 0.1 and above 0.9."""
    ckpt = load_pretrained(config.model)
    trace = trace_text(ckpt.model, ckpt.vocab, config.text)
    saturation = gate_saturation(trace)
    rows = []
    for gate, fractions in saturation[config.layer].items():
        left, right = fractions["left"], fractions["right"]
        rows.append({"gate": gate, "below 0.1": sum(left) / len(left), "above 0.9": sum(right) / len(right)})
    return {"rows": rows, "layer": config.layer, "saturation": saturation}


class Saturation(Experiment):
    key = "saturation"
    kind = "saturation"
    config_type = SaturationConfig
    imports = "from rnnviz.lessons.experiments.pretrained_models import SaturationConfig, saturation_table"
    body = """
for row in saturation_table(config)["rows"]:
    print(row["gate"], "below 0.1:", round(row["below 0.1"], 3), "above 0.9:", round(row["above 0.9"], 3))
"""

    def start(self, config: SaturationConfig) -> dict:
        return saturation_table(config)

    def summarise(self, result: dict) -> str:
        rows = "; ".join(
            t("lessons.summary.saturation", gate=r["gate"], below=r["below 0.1"], above=r["above 0.9"])
            for r in result["rows"]
        )
        return t("lessons.summary.layer", layer=result["layer"]) + rows + "."


# -- the pretrained dates model ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TranslateConfig:
    text: str  # a date, written any way


def translate_date(config: TranslateConfig) -> dict:
    path = pretrained_path("dates-seq2seq.safetensors")
    if path is None:
        raise FileNotFoundError("the pretrained dates model is not installed")
    model, _, _ = load_seq2seq(path)
    return translate(model, Seq2SeqVocab(), config.text, width=1)


class Translate(Experiment):
    key = "translate"
    kind = "translate"
    config_type = TranslateConfig
    imports = "from rnnviz.lessons.experiments.pretrained_models import TranslateConfig, translate_date"
    body = 'print(translate_date(config)["output"])'

    def start(self, config: TranslateConfig) -> dict:
        return translate_date(config)

    def summarise(self, result: dict) -> str:
        looks = []
        for index, row in enumerate((result["attention"] or [])[: len(result["output"])]):
            where = max(range(len(row)), key=row.__getitem__)
            looks.append(f"'{result['output'][index]}' <- '{result['source'][where]}'")
        return t("lessons.summary.translate", source=result["source"], output=result["output"]) + ", ".join(looks)


# -- tagging: one direction or two ------------------------------------------------------------------------------------


def load_shipped(files: dict[str, str], load, what: str) -> dict:
    """Every shipped file of ``files`` (role -> file name) loaded with ``load``, by role; a clear error naming the
    files that are not installed."""
    paths = {role: pretrained_path(filename) for role, filename in files.items()}
    missing = [files[role] for role, path in paths.items() if path is None]
    if missing:
        raise FileNotFoundError(f"the pretrained {what} are not installed: {', '.join(missing)}")
    return {role: load(path) for role, path in paths.items()}


@lru_cache(maxsize=1)
def pretrained_taggers() -> dict:
    """The two shipped taggers by label ("LSTM+CRF", "BiLSTM+CRF"): (model, vocabulary, card)."""
    return load_shipped(TAGGERS, load_tagger, "taggers")


@dataclass(frozen=True, kw_only=True)
class TagPairConfig:
    text: str  # one sentence, read by both taggers


def tag_pair(config: TagPairConfig) -> dict:
    return {"readings": [explain_text(model, vocab, config.text) for model, vocab, _ in pretrained_taggers().values()]}


class TagPair(Experiment):
    key = "tag_pair"
    kind = "tag_pair"
    config_type = TagPairConfig
    imports = "from rnnviz.lessons.experiments.pretrained_models import TagPairConfig, tag_pair"
    body = """
for reading in tag_pair(config)["readings"]:
    print(reading["label"], [(e["text"], e["kind"]) for e in reading["entities"]])
"""

    def start(self, config: TagPairConfig) -> dict:
        return tag_pair(config)

    def summarise(self, result: dict) -> str:
        parts = []
        for reading in result["readings"]:
            found = ", ".join(f"{e['text']} ({e['kind']})" for e in reading["entities"])
            parts.append(
                t("lessons.summary.found", label=reading["label"], found=found or t("lessons.summary.nothing"))
            )
        return "; ".join(parts) + "."


@dataclass(frozen=True, kw_only=True)
class DirectionsConfig:
    every: int = 4  # read every n-th validation sentence


def directions(config: DirectionsConfig) -> dict:
    """The entities both taggers find, and those only one of them finds, over a share of the validation split."""
    from rnnviz.tagging.corpus import load_peoples_daily  # the sentences only: nothing encoded for a whole corpus

    taggers = pretrained_taggers()
    (uni, vocab, _), (bi, _, _) = taggers["LSTM+CRF"], taggers["BiLSTM+CRF"]
    sentences = load_peoples_daily()["validation"][:: config.every]
    return {**compare_directions(uni, bi, vocab, sentences, limit=8), "sentences": len(sentences)}


class Directions(Experiment):
    key = "directions"
    kind = "directions"
    config_type = DirectionsConfig
    imports = "from rnnviz.lessons.experiments.pretrained_models import DirectionsConfig, directions"
    body = 'print({key: value for key, value in directions(config).items() if key != "examples"})'

    def start(self, config: DirectionsConfig) -> dict:
        return directions(config)

    def summarise(self, result: dict) -> str:
        only_bi, only_uni = result["only_bidirectional"], result["only_unidirectional"]
        return t(
            "lessons.summary.directions",
            gold=result["gold"],
            sentences=result["sentences"],
            both=result["both"],
            only_bi=only_bi,
            only_uni=only_uni,
            share=only_bi / max(1, only_bi + only_uni),
        )


# -- sentiment: reading order, "not" ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def pretrained_classifiers() -> dict:
    """The shipped classifiers by role ("left-to-right", "best"): (model, tokenizer, labels, card)."""
    return load_shipped(CLASSIFIERS, load_classifier, "classifiers")


@dataclass(frozen=True, kw_only=True)
class ReadingConfig:
    text: str
    model: str = "left-to-right"  # a role in rnnviz.pretrained.CLASSIFIERS


def read_sentence(config: ReadingConfig) -> dict:
    model, tokenizer, labels, _ = pretrained_classifiers()[config.model]
    return explain_sentence(model, tokenizer, config.text, labels)


class ClassifyReading(Experiment):
    key = "classify_reading"
    kind = "classify_reading"
    config_type = ReadingConfig
    imports = "from rnnviz.lessons.experiments.pretrained_models import ReadingConfig, read_sentence"
    body = """
result = read_sentence(config)
print(result["predicted"], list(zip(result["tokens"], result["prefix"] or result["integrated"])))
"""

    def start(self, config: ReadingConfig) -> dict:
        return read_sentence(config)

    def summarise(self, result: dict) -> str:
        steps = ", ".join(f"{token} {p:.2f}" for token, p in zip(result["tokens"], result["prefix"] or []))
        top = max(range(len(result["tokens"])), key=lambda i: abs(result["integrated"][i]))
        return t(
            "lessons.summary.reading",
            label=result["label"],
            predicted=result["predicted"],
            answer=", ".join(f"{p:.0%}" for p in result["probabilities"]),
            target=result["target"],
            steps=steps,
            word=result["tokens"][top],
            share=f"{result['integrated'][top]:+.2f}",
        )


@dataclass(frozen=True, kw_only=True)
class NegationConfig:
    """No settings: five phrases and their negations, read by both shipped classifiers and a bag of words."""


def negations(config: NegationConfig) -> dict:
    from rnnviz.classify.baselines import BagOfWords
    from rnnviz.classify.data import load_sentiment_set, split
    from rnnviz.classify.explain import NEGATION_PAIRS

    classifiers = pretrained_classifiers()
    probes = [
        {"model": model.config.label, **negation_probe(model, tokenizer, labels)}
        for model, tokenizer, labels, _ in classifiers.values()
    ]
    bag = BagOfWords.fitted(split(load_sentiment_set()), classifiers["best"][1])
    phrases = [phrase for pair in NEGATION_PAIRS for phrase in pair]
    p = bag.probabilities(phrases)[:, 1].tolist()
    pairs = [
        {"phrase": a, "negated": b, "p_phrase": p[2 * i], "p_negated": p[2 * i + 1]}
        for i, (a, b) in enumerate(NEGATION_PAIRS)
    ]
    probes.append({"model": "bag of words", "target": "positive", "pairs": pairs})
    return {"probes": probes}


class Negation(Experiment):
    key = "negation"
    kind = "negation"
    config_type = NegationConfig
    imports = "from rnnviz.lessons.experiments.pretrained_models import NegationConfig, negations"
    body = """
for probe in negations(config)["probes"]:
    print(probe["model"], [(p["phrase"], round(p["p_phrase"], 2), p["negated"], round(p["p_negated"], 2))
                           for p in probe["pairs"]])
"""

    def start(self, config: NegationConfig) -> dict:
        return negations(config)

    def summarise(self, result: dict) -> str:
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

"""The live experiments: a lab's ``LiveJob`` built from a step's values, read from its last snapshot.

Each is the lab a page trains (the long-memory tasks, the language models, seq2seq with and without attention, the
taggers, the sentiment classifiers), so a lesson's run is the same code path as the lab's, and the notebook cell
builds the lab's own config.
"""

from __future__ import annotations

from functools import lru_cache

from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import load_corpus
from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.trainer import TrainConfig
from rnnviz.charts.attention import variant_name
from rnnviz.i18n import t
from rnnviz.labs.classify_lab import ClassifyLab, ClassifyLabConfig
from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig
from rnnviz.labs.memory_task_lab import MemoryTaskConfig, MemoryTaskLab
from rnnviz.labs.seq2seq_lab import Seq2SeqLab, Seq2SeqLabConfig
from rnnviz.labs.tagging_lab import TaggingLab, TaggingLabConfig
from rnnviz.lessons.experiments.base import Experiment

TRAIN_TO_THE_END = """
lab = {lab}(config)
while not lab.finished:
    lab.advance(1.0)
"""


class MemoryTask(Experiment):
    key = "memory_task"
    kind = "task"
    live = True
    config_type = MemoryTaskConfig
    imports = "from rnnviz.labs.memory_task_lab import MemoryTaskConfig, train_memory_task"
    body = """
lab = train_memory_task(config)
for row in lab.summary():
    print(row["cell"], "seed", row["seed"], "held-out loss", round(row["held-out loss"], 4),
          "baseline", round(row["baseline"], 4), "solved" if row["solved"] else "")
for row in lab.aggregate():
    print(row["cell"], "solved", row["solved"], "of the seeds")
"""

    def start(self, config: MemoryTaskConfig) -> MemoryTaskLab:
        return MemoryTaskLab(config)

    def summarise(self, snapshot: dict) -> str:
        current = snapshot.get("current", snapshot) if "sweep" in snapshot else snapshot
        rows, aggregate = current["summary"], current["aggregate"]
        baseline = rows[0]["baseline"] if rows else float("nan")
        head = t("lessons.summary.task_head", label=current["label"], baseline=baseline)
        if len(aggregate) < len(rows):  # several seeds: the aggregate is the result
            parts = [_seeds_row(row) for row in aggregate if row["mean held-out loss"] is not None]
            return f"{head}: " + "; ".join(parts) + "."
        parts = [_task_row(row, baseline) for row in rows if row["held-out loss"] is not None]
        return f"{head}: " + "; ".join(parts) + "."


def _seeds_row(row: dict) -> str:
    text = t(
        "lessons.summary.seeds_solved",
        cell=row["cell"],
        solved=row["solved"],
        mean=row["mean held-out loss"],
        best=row["best"],
        worst=row["worst"],
    )
    if row["mean accuracy"] is not None:
        text += t("lessons.summary.mean_accuracy", accuracy=row["mean accuracy"])
    return text


def _task_row(row: dict, baseline: float) -> str:
    loss = row["held-out loss"]
    accuracy = t("lessons.summary.accuracy", accuracy=row["accuracy"]) if row["accuracy"] is not None else ""
    if row["solved"]:
        verdict = t("lessons.summary.solved")
    else:
        verdict = t("lessons.summary.beats" if loss < 0.5 * baseline else "lessons.summary.no_better")
    return t("lessons.summary.task_row", cell=row["cell"], loss=loss, accuracy=accuracy, verdict=verdict)


@lru_cache(maxsize=1)
def python_docs() -> CorpusData:
    """The lessons' language-model corpus: the Python documentation that ships with Python (no download)."""
    return CorpusData.from_corpus(load_corpus("python-docs"))


class LanguageModels(Experiment):
    key = "language_models"
    kind = "language_models"
    live = True
    config_type = LanguageModelLabConfig
    imports = """
from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.trainer import TrainConfig
from rnnviz.labs.language_models import LanguageModelLabConfig
from rnnviz.lessons.experiments.training_runs import train_language_models
"""
    body = """
lab = train_language_models(config)
for row in lab.snapshot()["summaries"]:
    print(row["cell"], row["parameters"], "parameters, loss", row["train loss"], row["status"])
"""

    def settings(self) -> set[str]:
        return {"cells", "hidden_size", "steps", "same_budget", "init", "radius"} | {
            "seq_len",
            "batch_size",
            "learning_rate",
            "clip",
            "seed",
            "eval_every",
        }

    def config(self, values: dict) -> LanguageModelLabConfig:
        """A step names the few settings it changes; the rest are the lessons' small defaults."""
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

    def start(self, config: LanguageModelLabConfig) -> LanguageModelLab:
        return LanguageModelLab(python_docs(), config)

    def summarise(self, snapshot: dict) -> str:
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
                    t(
                        "lessons.summary.lm_row",
                        cell=row["cell"],
                        n=row["parameters"],
                        loss=f"{val:.4g}",
                        step=row["step"],
                    )
                )
        return "; ".join(parts) + "."


def train_language_models(config: LanguageModelLabConfig) -> LanguageModelLab:
    """Train the language-model race of a lesson to its end headless (the notebook's cell)."""
    lab = LanguageModelLab(python_docs(), config)
    while not lab.finished:
        lab.advance(1.0)
    return lab


class Seq2Seq(Experiment):
    key = "seq2seq"
    kind = "seq2seq"
    live = True
    config_type = Seq2SeqLabConfig
    imports = "from rnnviz.labs.seq2seq_lab import Seq2SeqLab, Seq2SeqLabConfig"
    body = (
        TRAIN_TO_THE_END.format(lab="Seq2SeqLab")
        + """
for run in lab.runs:
    print(run.name, "held-out exact match", run.accuracies[-1])
"""
    )

    def start(self, config: Seq2SeqLabConfig) -> Seq2SeqLab:
        return Seq2SeqLab(config)

    def summarise(self, snapshot: dict) -> str:
        parts = [
            t("lessons.summary.exact", name=variant_name(run["name"]), share=run["accuracy"][-1])
            for run in snapshot["runs"]
            if run["accuracy"]
        ]
        return t("lessons.summary.exact_head", step=snapshot["step"]) + "; ".join(parts) + "."


class Tagging(Experiment):
    key = "tagging"
    kind = "tagging"
    live = True
    config_type = TaggingLabConfig
    imports = "from rnnviz.labs.tagging_lab import TaggingLab, TaggingLabConfig"
    body = (
        TRAIN_TO_THE_END.format(lab="TaggingLab")
        + """
for run in lab.runs:
    print(run.name, "entity F1", run.scores[-1]["overall"]["f1"])
"""
    )

    def start(self, config: TaggingLabConfig) -> TaggingLab:
        return TaggingLab(config)

    def summarise(self, snapshot: dict) -> str:
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
        head = t("lessons.summary.tagging_head", n=snapshot["eval_sentences"], step=snapshot["step"])
        return head + "; ".join(parts) + t("lessons.summary.tagging_baseline", f1=baseline)


class Classify(Experiment):
    key = "classify"
    kind = "classify"
    live = True
    config_type = ClassifyLabConfig
    imports = "from rnnviz.labs.classify_lab import ClassifyLab, ClassifyLabConfig"
    body = (
        TRAIN_TO_THE_END.format(lab="ClassifyLab")
        + """
print(lab.baselines)
for run in lab.runs:
    print(run.name, "held-out accuracy", run.validation_accuracy[-1])
"""
    )

    def start(self, config: ClassifyLabConfig) -> ClassifyLab:
        return ClassifyLab(config)

    def summarise(self, snapshot: dict) -> str:
        parts = [
            f"{run['name']} {run['validation_accuracy'][-1]:.3f}"
            for run in snapshot["runs"]
            if run["validation_accuracy"]
        ]
        baselines = snapshot["baselines"]
        return (
            t("lessons.summary.accuracy_head", step=snapshot["step"])
            + ", ".join(parts)
            + t("lessons.summary.baselines", bow=baselines["bag of words"], majority=baselines["majority class"])
        )

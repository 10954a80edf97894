import json
import re
import subprocess
import sys

from helpers import ROOT


def run_cli(*args, env_extra=None):
    return subprocess.run(
        [sys.executable, "-m", "rnnviz", *args], cwd=ROOT, capture_output=True, text=True, timeout=240
    )


def test_train_generate_eval_inspect_end_to_end(tmp_path, capsys):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text('the cat sat on "the mat" (twice).\n' * 200)
    out = tmp_path / "m.safetensors"
    result = run_cli(
        "train",
        "--corpus",
        str(corpus),
        "--cell",
        "gru",
        "--hidden",
        "16",
        "--embed",
        "8",
        "--steps",
        "30",
        "--seq-len",
        "16",
        "--batch-size",
        "8",
        "--eval-every",
        "10",
        "--seed",
        "1",
        "--out",
        str(out),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["steps"] == 30 and summary["val_loss_nats"] < 3.0
    assert "python -m rnnviz train" in summary["training_command"]

    # the rest in this process (the command table main() dispatches to): a new interpreter costs 3 s a call
    from rnnviz.cli.main import main

    def call(*args) -> str:
        assert main(list(args)) == 0
        return capsys.readouterr().out

    gen = call("generate", str(out), "--prompt", "the ", "--length", "40", "--seed", "3")
    assert gen.startswith("the ") and len(gen.rstrip("\n")) >= 44
    assert call("generate", str(out), "--prompt", "the ", "--length", "40", "--seed", "3") == gen  # seeded

    scores = json.loads(call("eval", str(out), "--corpus", str(corpus), "--json"))
    assert abs(scores["val_loss"] - summary["val_loss_nats"]) < 1e-5
    assert scores["val_loss_zero_state_windows"] > 0 and "zero state" in scores["zero_state_method"]

    report = json.loads(call("inspect", str(out), "--text", 'the "cat" (sat)', "--json"))
    assert report["exact"] and report["max_abs_diff_vs_fused"] <= 1e-5
    assert len(report["layers"][0]["gates"]["z"]) == len('the "cat" (sat)')


def test_cli_reports_bad_input_without_a_traceback(tmp_path, capsys):
    from rnnviz.cli.main import main

    bad = tmp_path / "evil.pt"
    bad.write_bytes(b"\x80\x04\x95junk")
    result = run_cli("generate", str(bad))  # a real interpreter: no traceback reaches the terminal
    assert result.returncode == 2 and "never unpickles" in result.stderr and "Traceback" not in result.stderr
    impossible = ["train", "--corpus", "python-docs", "--hidden", "0", "--steps", "1", "--out", str(tmp_path / "x")]
    assert main(impossible) == 2
    assert "hidden_size" in capsys.readouterr().err


def test_word_tokens_train_generate_eval_in_process(tmp_path, capsys):
    """``--tokens words`` end to end (in this process: the command table, not a new interpreter per call)."""
    from rnnviz.cli.main import main

    corpus = tmp_path / "words.txt"
    corpus.write_text("The cat sat on the mat.\nThe dog sat on the log.\n" * 100)
    out = tmp_path / "w.safetensors"
    args = [
        "train",
        "--tokens",
        "words",
        "--corpus",
        str(corpus),
        "--hidden",
        "16",
        "--embed",
        "8",
        "--steps",
        "40",
        "--seq-len",
        "12",
        "--batch-size",
        "8",
        "--eval-every",
        "20",
        "--out",
        str(out),
        "--json",
    ]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (
        summary["tokens"] == "words" and summary["vocab_size"] == 2 + 9
    )  # <pad>, <unk>, 7 words, "." and a line break
    assert main(["generate", str(out), "--prompt", "The zebra", "--length", "8", "--seed", "3"]) == 0
    generated = capsys.readouterr()
    assert generated.out.startswith("The zebra") and "read as <unk>: words" in generated.err
    words = set(re.findall(r"\w+|[^\w\s]", generated.out[9:]))
    assert words and words <= {"the", "cat", "dog", "sat", "on", "mat", "log", ".", "unk", "<", ">"}
    assert main(["eval", str(out), "--corpus", str(corpus), "--window", "32"]) == 0
    assert "nats/token" in capsys.readouterr().out

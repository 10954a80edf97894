"""``python -m rnnviz task`` with the selective copy task and the newer cells (issue #26), in process."""

import json


def test_task_cli_runs_selective_copy_with_newer_cells_and_refuses_bad_cells(capsys):
    from rnnviz.cli.main import main

    args = ["task", "selective-copy", "--length", "6", "--hidden", "8", "--steps", "3", "--batch-size", "8"]
    assert main([*args, "--cell", "lstm,minlstm,transformer", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["task"] == "selective-copy" and [r["cell"] for r in result["results"]] == [
        "LSTM",
        "minLSTM",
        "Transformer",
    ]
    assert main([*args, "--cell", "ssm"]) == 0 and "Selective SSM seed 0: held-out loss" in capsys.readouterr().out
    assert main([*args, "--cell", "lstm,mamba"]) == 2
    assert "Unknown cells ['mamba']; known: rnn, rnn-relu" in capsys.readouterr().err
    assert main(["task", "selective-copy", "--length", "3", "--cell", "gru", "--steps", "1"]) == 2
    assert "needs T of at least 4" in capsys.readouterr().err

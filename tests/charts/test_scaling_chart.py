"""The figure of ``bench scaling --json``, on hand-written rows: one line per cell and mode, log axes, the ratio to
the fused GRU; and the reader of the bench's JSON file (no bench run here)."""

import json

import pytest

from rnnviz.charlm.scaling import read_results, results_files
from rnnviz.charts.scaling import scaling_chart
from rnnviz.i18n import use_language


def row(cell, label, mode, seq_len, tokens_per_s, ratio=None, measure="training"):
    return {
        "measure": measure,
        "cell": cell,
        "label": label,
        "mode": mode,
        "seq_len": seq_len,
        "tokens_per_s": tokens_per_s,
        "ratio_to_gru": ratio,
        "device": "cpu",
    }


ROWS = [
    row("gru", "GRU", "fused", 256, 8000.0, 1.0),
    row("gru", "GRU", "fused", 64, 9000.0, 1.0),
    row("mingru", "minGRU", "parallel", 64, 20000.0, 2.2),
    row("mingru", "minGRU", "parallel", 256, 30000.0, 3.75),
    row("mingru", "minGRU", "sequential", 64, 4000.0, 0.44),
    row("transformer", "Transformer", "parallel", 64, 12000.0, 1.33),
    row("gru", "GRU", "step", 64, 900.0, 1.0, measure="generation"),
]


def test_one_line_per_cell_and_mode_against_sequence_length():
    fig = scaling_chart(ROWS)
    names = [trace.name for trace in fig.data]
    assert names == ["GRU", "minGRU (parallel scan)", "minGRU (step by step)", "Transformer"]
    gru, scan, loop, _ = fig.data
    assert list(gru.x) == [64, 256] and list(gru.y) == [9000.0, 8000.0]  # sorted by T
    assert loop.line.dash == "dot" and scan.line.dash != "dot" and scan.line.color == loop.line.color
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log" and "cpu" in fig.layout.title.text
    ratio = scaling_chart(ROWS, ratio=True)
    assert list(ratio.data[1].y) == [2.2, 3.75] and ratio.layout.shapes[0].y0 == 1  # the GRU's line at 1
    generation = scaling_chart(ROWS, "generation")
    assert [trace.name for trace in generation.data] == ["GRU"] and "position" in generation.layout.xaxis.title.text
    with use_language("zh"):
        assert scaling_chart(ROWS).data[1].name == "minGRU (并行扫描)"


def test_the_bench_json_is_read_and_a_bad_file_is_refused(tmp_path, monkeypatch):
    good = tmp_path / "scaling-cpu.json"
    good.write_text(json.dumps(ROWS))
    assert read_results(good) == ROWS
    for text, fragment in (("{", "could not be read"), ("{}", "not a list of rows"), ('[{"cell": "gru"}]', "lack")):
        bad = tmp_path / "bad.json"
        bad.write_text(text)
        with pytest.raises(ValueError, match=fragment):
            read_results(bad)
    monkeypatch.setenv("RNNVIZ_SCALING_JSON", f"{good}:{tmp_path / 'absent.json'}")
    assert results_files() == [good]

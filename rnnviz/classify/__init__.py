"""Text classification: sentiment of human-rated English sentences (or any labelled table), read by an RNN, LSTM
or GRU, one or both directions, pooled four ways; its baselines, its explanations and its checkpoint.
The Classify lab (``rnnviz.labs.classify_lab``) trains it live.
"""

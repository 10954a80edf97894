"""Sequence-to-sequence with attention: toy translation tasks, the model, training and decoding."""

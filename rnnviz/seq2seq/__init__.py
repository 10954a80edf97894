"""The encoder-decoder with attention (Bahdanau, Luong dot/general, or none), its toy tasks (dates,
reverse, sort, add), greedy and beam-search decoding, and its safetensors checkpoint. The Attention lab
(``rnnviz.labs.seq2seq_lab``) trains it live.
"""

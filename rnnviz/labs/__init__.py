"""The engines the pages train live, each a ``rnnviz.live.job.LiveJob``: side-by-side language models
(Train), gradient decay in training and long-memory tasks (Gradients), seq2seq with attention (Attention).

A lab owns its models, trains them in time-boxed ``advance`` chunks on shared batches and seeds, and hands
out ``snapshot()``s of plain data. It knows nothing of Streamlit or threads.
"""

"""rnnviz: train recurrent networks live and look inside them.

``charlm`` (the character language model), ``seq2seq`` and ``introspect`` (exact replay) are the models;
``labs`` the engines the pages train live, ``live`` the worker that drives them, ``charts`` the figures,
``cli`` the command line, ``ui`` the pages' views. Only ``ui`` imports streamlit, so the CLI, the tests and
the benchmarks run the exact code paths the app runs. ARCHITECTURE.md draws the map.
"""

__version__ = "0.1.0"

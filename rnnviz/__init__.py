"""rnnviz: train recurrent networks live and look inside them.

The core package (everything here except ``rnnviz.ui``) never imports streamlit, so the
CLI, the tests and the benchmarks run the exact code paths the app runs, without a browser.
"""

__version__ = "0.1.0"

"""The pages' views (one module per page), the pickers, session state, and ``live.py``, the one helper that
starts, stops and polls any live lab. The only part of rnnviz that imports streamlit.

Importing this package sets PyTorch's intra-op threads for the app process (``RNNVIZ_TORCH_THREADS``,
default 1): every session trains in its own thread, and on a small shared server one thread per
session beats sessions fighting over every core (measured in bench/live_overhead.py).
"""

import torch

from rnnviz.limits import LIMITS

torch.set_num_threads(LIMITS.torch_threads)

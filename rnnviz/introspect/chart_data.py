"""A trace as the plain data its charts draw.

``rnnviz/charts/trace.py`` takes numpy arrays and lists, never a ``Trace`` or a tensor (charts are pure functions
from plain data to figures); the views convert a trace here, once, so the conversion and the PCA's numbers are the
same wherever a trace is drawn.
"""

from __future__ import annotations

import numpy as np
import torch

from rnnviz.introspect.trace_types import Trace


def layer_series(trace: Trace, layer: int) -> dict[str, np.ndarray]:
    """Every (T, H) series of a layer, in the order the heatmaps stack them: its gates, then c (LSTM) and h.

    On the CPU the arrays share the trace's memory (no copy); each keeps the trace's dtype."""
    entry = trace.layers[layer]
    series = {name: values.numpy(force=True) for name, values in entry.gates.items()}
    if entry.c is not None:
        series["c"] = entry.c.numpy(force=True)
    series["h"] = entry.h.numpy(force=True)
    return series


def pca_projection(trace: Trace, layer: int, dims: int = 2) -> tuple[np.ndarray, list[float]]:
    """h_t of a layer on its first ``dims`` principal components, (T, dims), and the share of the variance each
    explains. Computed in float64 with torch's SVD, as the trajectory chart always was, so its points and signs stay
    the same; a text shorter than ``dims`` steps (or a layer narrower) gives zeros."""
    h = trace.layers[layer].h.double()  # (T, H)
    centred = h - h.mean(dim=0)
    _, s, v = torch.linalg.svd(centred, full_matrices=False)
    points = (centred @ v[:dims].T).numpy(force=True) if v.shape[0] >= dims else np.zeros((len(h), dims))
    explained = (s[:dims] ** 2 / (s**2).sum()).tolist() if float((s**2).sum()) > 0 else [0.0] * dims
    return points, explained


def step_sizes(trace: Trace, layer: int) -> np.ndarray:
    """The selective SSM's step size Δ of a layer, (T, D): what ``charts/newer_cells.step_size_chart`` draws."""
    return trace.layers[layer].gates["delta"].numpy(force=True)


def attention_weights(trace: Trace, layer: int) -> np.ndarray:
    """A Transformer block's attention weights, (heads, T, T): what ``charts/newer_cells.attention_heads_chart``
    draws."""
    weights = trace.layers[layer].attention
    if weights is None:
        raise ValueError("only a Transformer's trace has attention weights")
    return weights.numpy(force=True)

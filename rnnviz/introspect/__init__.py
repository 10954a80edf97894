"""Exact introspection: replay a fused-trained model's weights through the textbook equations.

``trace.trace_text`` gives every gate and state over a text (checked against the fused layer every call);
``bptt`` and ``gradients`` give per-step gradient norms; ``neurons`` and ``saturation`` read a trace, and
``chart_data`` turns one into the plain arrays the charts draw.
``equations.py`` holds the only forward equations; ``trace_types.py`` the containers they fill.
"""

from rnnviz.introspect.trace import trace_ids, trace_text
from rnnviz.introspect.trace_types import LayerTrace, Trace

__all__ = ["LayerTrace", "Trace", "trace_ids", "trace_text"]

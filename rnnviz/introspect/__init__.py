"""Exact introspection: replay a fused-trained model's weights through the textbook equations."""

from rnnviz.introspect.replay import LayerTrace, Trace, trace_text

__all__ = ["LayerTrace", "Trace", "trace_text"]

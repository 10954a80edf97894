"""Pick the compute device once, the same way everywhere."""

from __future__ import annotations

import torch


def pick_device(requested: str = "auto") -> torch.device:
    """Return ``requested`` as a device; ``"auto"`` prefers cuda, then mps, then cpu."""
    if requested != "auto":
        device = torch.device(requested)
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError("CUDA was requested but no CUDA device is available on this machine.")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def describe_device(device: torch.device) -> str:
    """A human-readable name for model cards and benchmark reports."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "cpu":
        return f"CPU ({torch.get_num_threads()} threads)"
    return device.type

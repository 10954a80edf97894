"""The linear recurrence the newer cells share, h_t = a_t * h_{t-1} + b_t (elementwise), computed two ways.

A gate that reads only the input (minGRU, minLSTM, the selective SSM) makes a_t and b_t known for every step before
any h is: the recurrence is then linear in h and its solution has a closed form,

    h_t = A_t * (h_0 + sum_{s<=t} b_s / A_s),   A_t = a_1 * ... * a_t,

so all steps can be computed at once. ``sequential_scan`` is the textbook loop (one step after another, autograd
through every step: the reference, and the "sequential" training mode). ``log_space_scan`` is the parallel scan of
Feng et al. 2024 ("Were RNNs All We Needed?", arXiv 2410.01201, appendix; after Heinsen 2023): in log space,

    log h_t = a*_t + logcumsumexp_s(log b_s - a*_s),   a*_t = cumsum_s(log a_s),

which needs b_s > 0 (hence the paper's activation g(x) > 0 for the candidate state). ``signed_log_space_scan`` lifts
that restriction (b = b+ - b-, one log-space scan for each part), at twice the cost of a scan that was already the
slowest part of a step on a CPU: for the SSM, whose inputs have either sign and whose state is N times wider, a
training step took 8.1 s of CPU where ``chunked_scan`` takes 1.3 s (and the loop 0.34 s: B = 4, T = 1,024, D = 218,
N = 8, one thread). ``chunked_scan`` is the closed form in real space within chunks of 16 steps (all chunks at
once), and the exact carry from chunk to chunk.

Why float64 inside the scan: a* grows without bound over a sequence (about -0.7 per step when a gate sits at one
half), and float32 keeps ~7 digits, so log b_s - a*_s and a*_t + (...) each lose |a*| * 6e-8 of absolute accuracy in
log h: 1.4e-4 in h at T = 1,024 (measured), over the 1e-5 an exact replay is held to, and still 5e-5 when the scan
runs in blocks of 16 steps with the gates' weights four times their initial size (as training makes them). So the
cumulative sum, the logcumsumexp and the exp run in float64 and only their result returns to float32: the parallel
path then agrees with a float64 loop to about 1e-7 of the state's size at any length (the float32 rounding of its
inputs), for about a quarter more time in the scan on a CPU (B = 4, T = 1,024, H = 460, one thread: 0.60 s against
0.48 s, forward and backward).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def g(x: torch.Tensor) -> torch.Tensor:
    """Feng et al.'s activation for the candidate state: x + 1/2 for x >= 0, sigmoid(x) below; positive, so its log
    exists, and continuous at 0 (both sides give 1/2)."""
    return torch.where(x >= 0, x + 0.5, torch.sigmoid(x))


def log_g(x: torch.Tensor) -> torch.Tensor:
    """log g(x), computed without forming g(x) first (stable for very negative x: -softplus(-x))."""
    return torch.where(x >= 0, torch.log(F.relu(x) + 0.5), -F.softplus(-x))


def sequential_scan(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
    """h_t = a_t * h_{t-1} + b_t, one step at a time. a, b (B, T, ...); h0 (B, ...) or None (zeros) -> h (B, T, ...).

    ``unbind`` splits time once, so the backward pass gathers one gradient per step instead of writing a full-size
    zero tensor for every ``a[:, t]`` it indexed (which made a 1,024-step loop 70 times slower)."""
    h = h0 if h0 is not None else b.new_zeros(b.shape[:1] + b.shape[2:])  # (B, ...)
    states = []
    for a_t, b_t in zip(a.unbind(1), b.unbind(1)):  # each (B, ...)
        h = a_t * h + b_t  # (B, ...)
        states.append(h)
    return torch.stack(states, dim=1)  # (B, T, ...)


CHUNK = 16  # steps per chunk of ``chunked_scan``
LOG_DECAY_FLOOR = -40.0  # ``chunked_scan`` reads a step keeping less than e^-40 (4e-18) of its state as keeping e^-40


def chunked_scan(
    log_a: torch.Tensor,
    b: torch.Tensor,
    h0: torch.Tensor | None = None,
    chunk: int = CHUNK,
    work_dtype: torch.dtype = torch.float64,
) -> torch.Tensor:
    """h_t = a_t * h_{t-1} + b_t for b of either sign, parallel within chunks of ``chunk`` steps: with c_t the
    cumulative log a since the chunk began, h_t = e^{c_t} * (h_start + sum_s b_s e^{-c_s}), one cumulative sum for every
    chunk at once; then each chunk's start state from the one before (T / chunk elementwise steps). In float64, with
    log a floored at ``LOG_DECAY_FLOOR`` per step, e^{-c} stays below e^{640} < 1e308 within a chunk; the floor changes
    h by under 4e-18 of a state (a step that forgets that much forgets all) and stops the gradient there.

    log_a, b (B, T, ...); h0 (B, ...) or None (zeros) -> h (B, T, ...)."""
    batch, steps = b.shape[:2]
    size = max(1, min(chunk, steps))
    n = -(-steps // size)
    pad = (0, 0) * (b.dim() - 2) + (0, n * size - steps)  # padded steps are sliced off at the end
    la = F.pad(log_a.to(work_dtype).clamp_min(LOG_DECAY_FLOOR), pad).reshape(batch, n, size, *b.shape[2:])
    bb = F.pad(b.to(work_dtype), pad).reshape(batch, n, size, *b.shape[2:])  # (B, n, K, ...)
    decay = torch.exp(torch.cumsum(la, dim=2))  # (B, n, K, ...): e^{c_t}, what is left of the chunk's start state
    local = decay * torch.cumsum(bb / decay, dim=2)  # (B, n, K, ...): each chunk from a zero state
    ends, end_decays = local[:, :, -1].unbind(1), decay[:, :, -1].unbind(1)  # n x (B, ...)
    starts = [h0.to(work_dtype) if h0 is not None else bb.new_zeros(bb.shape[:1] + bb.shape[3:])]  # (B, ...)
    for i in range(n - 1):  # the exact carry from chunk to chunk
        starts.append(ends[i] + end_decays[i] * starts[-1])
    h = local + decay * torch.stack(starts, dim=1).unsqueeze(2)  # (B, n, K, ...)
    return h.reshape(batch, n * size, *b.shape[2:])[:, :steps].to(b.dtype)


def log_space_scan(
    log_a: torch.Tensor, log_b: torch.Tensor, h0: torch.Tensor | None = None, work_dtype: torch.dtype = torch.float64
) -> torch.Tensor:
    """h_t = a_t * h_{t-1} + b_t from log a_t (<= 0) and log b_t (b_t > 0), all steps at once, computed in
    ``work_dtype`` (see the module). log_a, log_b (B, T, ...); h0 (B, ...) or None (zeros) -> h (B, T, ...)."""
    la, lb = log_a.to(work_dtype), log_b.to(work_dtype)  # (B, T, ...)
    a_star = torch.cumsum(la, dim=1)  # (B, T, ...): log of a_1 * ... * a_t
    h = torch.exp(a_star + torch.logcumsumexp(lb - a_star, dim=1))  # (B, T, ...): from a zero state
    if h0 is not None:
        h = h + torch.exp(a_star) * h0.to(work_dtype).unsqueeze(1)  # what is left of the starting state
    return h.to(log_a.dtype)


def signed_log_space_scan(
    log_a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None, work_dtype: torch.dtype = torch.float64
) -> torch.Tensor:
    """``log_space_scan`` for inputs of either sign: b = max(b, 0) - max(-b, 0), each part scanned in log space and
    the two subtracted (the recurrence is linear, so the parts add). A part's zeros are read as the smallest normal
    float (its log is finite, so no -inf reaches the backward pass); each such term contributes under 1e-37.

    log_a, b (B, T, ...); h0 (B, ...) or None -> h (B, T, ...)."""
    la, b = log_a.to(work_dtype), b.to(work_dtype)  # (B, T, ...)
    tiny = torch.finfo(work_dtype).tiny
    positive = log_space_scan(la, torch.log(b.clamp_min(tiny)), h0, work_dtype)  # (B, T, ...), with the state
    negative = log_space_scan(la, torch.log((-b).clamp_min(tiny)), None, work_dtype)  # (B, T, ...)
    return (positive - negative).to(log_a.dtype)  # the recurrence is linear: the two parts add

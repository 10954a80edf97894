"""The linear recurrence the newer cells share, h_t = a_t * h_{t-1} + b_t (elementwise), computed three ways.

A gate that reads only the input (minGRU, minLSTM, the selective SSM) makes a_t and b_t known for every step before
any h is: the recurrence is then linear in h and its solution has a closed form,

    h_t = A_t * (h_0 + sum_{s<=t} b_s / A_s),   A_t = a_1 * ... * a_t,

so all steps can be computed at once. ``sequential_scan`` is the textbook loop (one step after another, autograd
through every step: the reference, and the "sequential" training mode).

The blocked scan (``linear_scan``; ``forward_scan`` and ``backward_scan`` for the cells' own autograd Functions) is
what training uses. The T steps are cut into n blocks of K ~ sqrt(T) (``scan_chunk``) and run in three phases, each
op over all n blocks at once (``_blocked``): every block from a zero state (K ops), the exact carry of each block's
start from the one before (n ops on (B, ...)), and the recurrence again from those starts (K ops): about 3 sqrt(T)
elementwise ops in all, against T for the loop. It stays in real space, products and sums of the a and b themselves
(no exp, no log, no division), so nothing overflows and float32 is enough: phase 3 is the loop's own arithmetic, and
the carry adds the rounding of K products once per block, which a_t <= 1 does not let grow. The backward is the same
scan run backwards (the gradient of a linear recurrence is one: g_t = dL/dh_t + a_{t+1} g_{t+1}, then
dL/db_t = g_t, dL/da_t = g_t h_{t-1}), written out rather than traced by autograd.

``log_space_scan`` is the parallel scan of Feng et al. 2024 ("Were RNNs All We Needed?", arXiv 2410.01201,
appendix; after Heinsen 2023), kept for the cells' ``log_space=True``: in log space,

    log h_t = a*_t + logcumsumexp_s(log b_s - a*_s),   a*_t = cumsum_s(log a_s),

which needs b_s > 0 (hence the paper's activation g(x) > 0 for the candidate state). ``signed_log_space_scan`` lifts
that restriction (b = b+ - b-, one log-space scan for each part), at twice the cost; ``chunked_scan`` is the closed
form in real space within chunks of 16 steps, in float64, and the exact carry between them.

Why training left log space, measured on a CPU with one thread at the scaling bench's minGRU (B = 4, T = 1,024,
H = 569, ``bench scaling``'s budget), CPU time of a training step, interleaved with the fused GRU's, medians of 5.
PyTorch's CPU ``logcumsumexp`` took 49% of the step, and the step 0.81 s against the GRU's 0.31 s (0.29-0.42x in
``bench scaling``). The gates and the scan alone, forward and backward: log space (float64) 655 ms, ``chunked_scan``
(float64) 223 ms, the loop 72 ms, the blocked scan 45 ms. The whole step with the blocked scan and the written-out
backward (``mingru._MinGRU``): 63-74 ms, 3.5-3.9x the GRU (minLSTM, H = 476: 68-81 ms, 3.2-3.7x), where the same
models through log space took 0.62-0.80 s (0.35-0.42x) and 0.52-0.62 s (0.42-0.49x), in three runs. The SSM's step
(D = 218, N = 8): 1.59 s with ``chunked_scan``, 0.25 s with ``linear_scan``. On a GPU the log-space scan's
cumulative sums run across thousands of cores; the blocked scan is about 3 sqrt(T) kernel launches there (not
measured here).

Exactness, float32, T = 1,024 and 4,096, the gates' weights four times their initial size (states up to 11.5): the
parallel path is within 1.4e-6 of the step-by-step replay and 1.3e-6 of a float64 loop over the same
pre-activations (the replay itself is 1.4e-6 from that loop; log space 2.2e-6); its gradients are within 5e-7 of the
largest gradient of a float64 model (the float32 loop's: 5e-7). Log space needs float64 inside: a* grows without
bound over a sequence (about -0.7 per step when a gate sits at one half), and float32 keeps ~7 digits, so
log b_s - a*_s and a*_t + (...) each lose |a*| * 6e-8 of absolute accuracy in log h: 1.4e-4 in h at T = 1,024, over
the 1e-5 an exact replay is held to.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch.autograd.function import once_differentiable


def g(x: torch.Tensor) -> torch.Tensor:
    """Feng et al.'s activation for the candidate state: x + 1/2 for x >= 0, sigmoid(x) below; positive, so its log
    exists, and continuous at 0 (both sides give 1/2). Computed as ``g_value``, its gradient by ``g_backward``, not
    as ``torch.where(x >= 0, x + 0.5, sigmoid(x))``: on a CPU, ``where`` and the masks of its backward took 15-25 ms
    of a (4, 1,024, 569) tensor, an elementwise op 1-2 ms. Without a gradient to keep (generation, a replay) it skips
    the autograd Function, whose call cost more than the three ops on one token's (1, H)."""
    if not (torch.is_grad_enabled() and x.requires_grad):
        return g_value(x)
    return _G.apply(x)


def g_value(x: torch.Tensor, scratch: torch.Tensor | None = None, out: torch.Tensor | None = None) -> torch.Tensor:
    """g(x) = max(sigmoid(x), x + 1/2), no autograd, in three elementwise ops: x + 1/2 is the larger for x >= 0
    (sigmoid(x) <= 1/2 + x/4 there) and sigmoid(x) below (it lies above its tangent at 0, 1/2 + x/4, which lies above
    x + 1/2), so each side is the textbook's to the float (measured: no float differs, float32 or float64, over 1e6
    normal draws and 2e4 points within 1e-6 of 0). ``scratch``, a tensor of x's shape free for the moment, saves an
    allocation; ``out`` may be x itself (x is then replaced by g(x))."""
    shifted = x + 0.5 if scratch is None else torch.add(x, 0.5, out=scratch)  # before out can overwrite x
    gx = torch.sigmoid(x, out=out) if out is not None else torch.sigmoid(x)
    return torch.maximum(gx, shifted, out=gx)


def g_backward(grad: torch.Tensor, gx: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    """dL/dx into ``out`` from grad = dL/dg(x) and gx = g(x) alone: grad where x > 0, grad gx (1 - gx) where x <= 0
    (there gx is sigmoid(x)), in four elementwise ops and no mask tensor: ``threshold_backward`` keeps grad where
    gx > 1/2 (that is x > 0) and writes zeros elsewhere; grad less that is grad where x <= 0 and zero elsewhere,
    exactly; its sigmoid slope is added. Each element takes one side only, so nothing cancels (forming the slope
    everywhere and subtracting it where x > 0 lost (x + 1/2)^2 ulps there). At the kink, x = 0, and for
    0 < x < 3e-8 (where x + 1/2 rounds to 1/2 in float32) it takes the left slope, 1/4. ``grad`` is overwritten (it
    is the scratch); out, of gx's shape, may be a view of another."""
    torch.ops.aten.threshold_backward.grad_input(grad, gx, 0.5, grad_input=out)
    sigmoid_slope(grad.sub_(out), gx, out=grad)
    return out.add_(grad)


def sigmoid_slope(grad: torch.Tensor, y: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    """grad * y (1 - y) written into out, in one op: the backward of y = sigmoid(x) (also of y = 1 - sigmoid(x))."""
    return torch.ops.aten.sigmoid_backward.grad_input(grad, y, grad_input=out)


class _G(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        gx = g_value(x)
        ctx.save_for_backward(gx)
        return gx

    @staticmethod
    @once_differentiable  # written with out= ops: no graph of its own
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        (gx,) = ctx.saved_tensors
        return g_backward(grad.clone(), gx, torch.empty_like(gx))


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


def linear_scan(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None, chunk: int | None = None):
    """h_t = a_t * h_{t-1} + b_t as a blocked parallel scan in real space, in the inputs' dtype, its backward the
    same scan run backwards (``_LinearScan``): the SSM's training path (minGRU and minLSTM call ``forward_scan`` and
    ``backward_scan`` from autograd Functions of their own; see the module). a, b (B, T, ...), b of any sign; h0
    (B, ...) or None (zeros); chunk: steps per block (None: ``scan_chunk(T)``) -> h (B, T, ...)."""
    return _LinearScan.apply(a, b, h0, chunk or scan_chunk(a.shape[1]))


def scan_chunk(steps: int) -> int:
    """Steps per block: about sqrt(T), so the steps within a block (phases 1 and 3, K ops each) and the carry across
    blocks (T / K ops) take about as many operations; from 8 to 64. Measured (``forward_scan``, lerp form, B = 4,
    T = 1,024, H = 569, one thread, medians of 15): K = 8 10.6 ms, 16 8.8, 32 6.1, 64 5.4, 128 18.7, the plain loop
    9.8; (B = 1, T = 4,096): K = 32 6.7 ms, 64 5.7, 128 18.8, the loop 31.8."""
    return max(8, min(64, round(steps**0.5)))


def start_state(b: torch.Tensor, h0: torch.Tensor | None) -> torch.Tensor:
    """The state before the first step: h0 in b's dtype, or zeros. b (B, T, ...) -> (B, ...)."""
    return b.new_zeros(b.shape[:1] + b.shape[2:]) if h0 is None else h0.to(b.dtype)


class Linear:
    """The step of ``forward_scan``'s default form, x_t = a_t x_prev + b_t (x = a, y = b): one ``addcmul``."""

    @staticmethod
    def step(x: torch.Tensor, y: torch.Tensor, prev: torch.Tensor, out: torch.Tensor) -> None:
        torch.addcmul(y, x, prev, out=out)

    @staticmethod
    def from_zero(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The value after one step from a zero state, and the step's decay a (new tensors)."""
        return y.clone(), x.clone()

    @staticmethod
    def decay(product: torch.Tensor, x: torch.Tensor) -> None:
        product.mul_(x)


class Lerp:
    """x_t = (1 - z_t) x_prev + z_t y_t = lerp(x_prev, y_t, z_t) (x = z, y = y): minGRU's interpolation itself,
    so the scan reads z and h~ as they are and a = 1 - z and b = z h~ are never formed (two passes fewer)."""

    @staticmethod
    def step(x: torch.Tensor, y: torch.Tensor, prev: torch.Tensor, out: torch.Tensor) -> None:
        torch.lerp(prev, y, x, out=out)

    @staticmethod
    def from_zero(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return x * y, 1 - x

    @staticmethod
    def decay(product: torch.Tensor, x: torch.Tensor) -> None:
        torch.addcmul(product, product, x, value=-1, out=product)  # product * (1 - z)


def forward_scan(x, y, start: torch.Tensor, chunk: int, form=Linear, out: torch.Tensor | None = None) -> torch.Tensor:
    """The recurrence from h_{-1} = start, no autograd: h_t = x_t h_{t-1} + y_t (``Linear``, x = a, y = b) or
    lerp(h_{t-1}, y_t, x_t) (``Lerp``). x, y (B, T, ...); start (B, ...); out (B, T, ...) contiguous, or None (a
    new tensor) -> h (B, T, ...)."""
    h = torch.empty(y.shape, dtype=y.dtype, device=y.device) if out is None else out  # (B, T, ...)
    _scan_into(h, x, y, start, chunk, form=form)
    return h


def backward_scan(a: torch.Tensor, dh: torch.Tensor, chunk: int, shifted: bool = False) -> torch.Tensor:
    """The gradient reaching each state in full, from the loss and through the steps after it: g_t = dh_t +
    a_{t+1} g_{t+1} (g_T = dh_T), the same recurrence run backwards, no autograd. a, dh (B, T, ...) -> g (B, T, ...).
    With ``shifted`` a[:, t] holds a_{t+1} already (its last step is not read): the scan then covers all T steps in
    whole blocks, where a of the step after makes it T - 1 steps, blocks out of line and a plain loop for the rest."""
    grad = torch.empty(dh.shape, dtype=dh.dtype, device=dh.device)  # (B, T, ...)
    if shifted:
        _scan_into(grad, a, dh, torch.zeros_like(dh[:, -1]), chunk, reverse=True)
        return grad
    grad[:, -1] = dh[:, -1]
    _scan_into(grad[:, :-1], a[:, 1:], dh[:, :-1], dh[:, -1], chunk, reverse=True)
    return grad


def next_decays(z: torch.Tensor) -> torch.Tensor:
    """a[:, t] = 1 - z[:, t + 1], the last step 0: ``backward_scan``'s shifted decays for a_t = 1 - z_t, in the one
    pass that forms them. z (B, T, ...) -> (B, T, ...)."""
    a = torch.empty_like(z)  # (B, T, ...)
    torch.sub(z.new_ones(()), z[:, 1:], out=a[:, :-1])  # one minus, broadcast from a 0-d one
    a[:, -1] = 0
    return a


def with_previous(op, x: torch.Tensor, h: torch.Tensor, start: torch.Tensor, out: torch.Tensor | None = None):
    """op(x_t, h_{t-1}, out=...) for every t, h_{-1} = start, without building the shifted copy of h: two calls,
    the first step and the rest. x, h (B, T, ...); start (B, ...); out (B, T, ...) or None (a new tensor)."""
    out = torch.empty(x.shape, dtype=x.dtype, device=x.device) if out is None else out  # (B, T, ...)
    op(x[:, 1:], h[:, :-1], out=out[:, 1:])
    op(x[:, 0], start, out=out[:, 0])
    return out


def _steps(outs, xs, ys, prev: torch.Tensor, form) -> None:
    """The plain loop: each out = the step from prev, then prev = out; outs, xs, ys sequences of (B, ...) views in the
    scan's order (``unbind`` makes them in one call: slicing a view a step took as long as the step's op)."""
    for x, y, out in zip(xs, ys, outs):
        form.step(x, y, prev, out)
        prev = out


def _blocked(out: torch.Tensor, x: torch.Tensor, y: torch.Tensor, start: torch.Tensor, reverse: bool, form) -> None:
    """The three phases of a blocked scan over views (B, n, K, ...) of n whole blocks, all blocks at once:
    (1) each block's last value from a zero start and the product of its decays (K ops on (B, n, ...) each);
    (2) the exact carry, each block's start from the one before (n ops on (B, ...)); (3) the recurrence again from
    those starts, written to out (K ops). Phase 3 repeats the loop's own arithmetic, so out differs from the loop's
    only by the carry's rounding. ``reverse`` runs time backwards (the step reads the value after it)."""
    order = slice(None, None, -1) if reverse else slice(None)
    xs, ys, outs = (t.unbind(2)[order] for t in (x, y, out))  # K views (B, n, ...) each, in the scan's order
    end, product = form.from_zero(xs[0], ys[0])  # each (B, n, ...)
    for x_k, y_k in zip(xs[1:], ys[1:]):  # phase 1
        form.step(x_k, y_k, end, end)
        form.decay(product, x_k)
    starts = torch.empty_like(end)  # (B, n, ...): the value each block continues from
    firsts, ends, products = (t.unbind(1)[order] for t in (starts, end, product))  # n views (B, ...) each
    firsts[0].copy_(start)
    for last, decay, before, after in zip(ends, products, firsts, firsts[1:]):  # phase 2
        torch.addcmul(last, decay, before, out=after)
    _steps(outs, xs, ys, starts, form)  # phase 3


def _scan_into(out, x, y, start, chunk: int, reverse: bool = False, form=Linear) -> None:
    """The recurrence over the L steps of dim 1, start the value before the first step in the scan's direction:
    whole blocks of ``chunk`` steps through ``_blocked``, the L mod chunk steps left over (at the end forwards, at
    the front backwards) by the plain loop. out (B, L, ...) a slice along L of a contiguous tensor (it is written
    through views); x, y (B, L, ...) of any strides; start (B, ...)."""
    batch, steps, rest = x.shape[0], x.shape[1], x.shape[2:]
    blocks = steps // chunk if chunk > 1 else 0
    order = slice(None, None, -1) if reverse else slice(None)
    if blocks < 2:
        _steps(*(t.unbind(1)[order] for t in (out, x, y)), start, form)
        return
    lo = steps - blocks * chunk if reverse else 0  # the blocks cover [lo, lo + blocks * chunk)
    shape, window = (batch, blocks, chunk, *rest), slice(lo, lo + blocks * chunk)
    # out must be a view, to be written; the inputs are only read, so a copy (reshape's fallback) does as well
    _blocked(out[:, window].view(shape), x[:, window].reshape(shape), y[:, window].reshape(shape), start, reverse, form)
    tail = slice(0, lo) if reverse else slice(blocks * chunk, steps)
    last = out[:, lo] if reverse else out[:, blocks * chunk - 1]  # (B, ...)
    _steps(*(t[:, tail].unbind(1)[order] for t in (out, x, y)), last, form)


class _LinearScan(torch.autograd.Function):
    """h_t = a_t h_{t-1} + b_t with the gradient written out rather than traced: g_t = dL/dh_t in full (from the
    loss and through h_{t+1}) is ``backward_scan``, then dL/db_t = g_t, dL/da_t = g_t h_{t-1}, dL/dh0 = a_1 g_1.
    Autograd's graph of the closed form kept a tensor and a backward kernel for every cumulative sum, exp and
    division; this keeps a and h and runs two scans."""

    @staticmethod
    def forward(ctx, a, b, h0, chunk):
        start = start_state(b, h0)  # (B, ...)
        h = forward_scan(a, b, start, chunk)  # (B, T, ...)
        ctx.save_for_backward(a, h, start)
        ctx.chunk = chunk
        return h

    @staticmethod
    @once_differentiable  # written with out= ops: no graph of its own
    def backward(ctx, dh):
        a, h, start = ctx.saved_tensors
        grad = backward_scan(a, dh, ctx.chunk)  # (B, T, ...): g_t
        da = with_previous(torch.mul, grad, h, start) if ctx.needs_input_grad[0] else None
        dh0 = a[:, 0] * grad[:, 0] if ctx.needs_input_grad[2] else None  # (B, ...)
        return da, grad, dh0, None


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

"""A small causal Transformer in the manner of nanoGPT (Karpathy), the reference the recurrent cells race against.

No recurrence: each position looks at every earlier one (and itself) within a fixed window of ``context_size``:

    e_t   = W_in x_t + p_t                       the token's embedding, widened to H, plus a learned position p
    a     = e + Attn(LN(e)),  Attn = softmax(Q K^T / sqrt(d) + causal mask) V, per head, then W_o
    e'    = a + MLP(LN(a)),   MLP = W_2 GELU(W_1 .), 4H wide          (pre-norm blocks, repeated per layer)
    out   = LN(e' of the last block)

A gradient reaches every position in one step through attention, where a recurrence passes it back through every
step; and nothing is carried but the tokens themselves. So the "state" this module returns is the last
``context_size - 1`` input embeddings, and a chunk read with a state is read with as much of them as fits the
window: one token at a time (generation) that is nanoGPT's crop to the window, with no cache, so each token costs
attention over the whole window; a chunk longer than the window is read in strides of half a window, each with
the half window before it as context (strided evaluation). ``attention`` and ``replay`` compute the weights
explicitly (rows sum to 1, zero above the diagonal); training uses PyTorch's fused attention kernel.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class CausalSelfAttention(nn.Module):
    """Multi-head causal self-attention, H wide, with ``heads`` heads of ceil(H / heads) each."""

    def __init__(self, width: int, heads: int, dropout: float = 0.0):
        super().__init__()
        self.heads = heads
        self.head_size = math.ceil(width / heads)
        inner = heads * self.head_size
        self.qkv = nn.Linear(width, 3 * inner)
        self.proj = nn.Linear(inner, width)
        self.dropout = dropout

    def _split(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x (B, T, H) -> q, k, v, each (B, heads, T, d)."""
        batch, steps, _ = x.shape
        qkv = self.qkv(x).view(batch, steps, 3, self.heads, self.head_size)  # (B, T, 3, heads, d)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)  # each (B, heads, T, d)
        return q, k, v

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (B, T, H) -> (B, T, H), through the fused kernel (training and generation)."""
        q, k, v = self._split(x)
        drop = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=drop, is_causal=True)  # (B, heads, T, d)
        return self.proj(y.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1))  # (B, T, H)

    def explicit(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The same by the textbook formula: x (B, T, H) -> output (B, T, H) and the weights (B, heads, T, T)."""
        q, k, v = self._split(x)
        steps = x.shape[1]
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_size)  # (B, heads, T, T)
        future = torch.ones(steps, steps, dtype=torch.bool, device=x.device).triu(1)  # (T, T): j > i
        weights = torch.softmax(scores.masked_fill(future, float("-inf")), dim=-1)  # (B, heads, T, T)
        y = weights @ v  # (B, heads, T, d)
        return self.proj(y.transpose(1, 2).reshape(x.shape[0], steps, -1)), weights  # (B, T, H)


class Block(nn.Module):
    """One pre-norm block: attention then an MLP, each added to the residual stream."""

    def __init__(self, width: int, heads: int, dropout: float = 0.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(width)
        self.attention = CausalSelfAttention(width, heads, dropout)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop(self.attention(self.norm1(x)))  # (B, T, H)
        return x + self.drop(self.mlp(self.norm2(x)))  # (B, T, H)

    def explicit(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, H) -> the block's output (B, T, H) and its attention weights (B, heads, T, T); no dropout."""
        attended, weights = self.attention.explicit(self.norm1(x))
        x = x + attended  # (B, T, H)
        return x + self.mlp(self.norm2(x)), weights


class CausalTransformer(nn.Module):
    """(B, T, In) -> (B, T, H) with a window of ``context_size`` positions; see the module docstring."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        num_heads: int = 4,
        context_size: int = 256,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.context_size = context_size
        self.input = nn.Linear(input_size, hidden_size)
        self.position = nn.Embedding(context_size, hidden_size)
        self.blocks = nn.ModuleList(Block(hidden_size, num_heads, dropout) for _ in range(num_layers))
        self.norm = nn.LayerNorm(hidden_size)
        self.drop = nn.Dropout(dropout)
        self._initialise(num_layers)

    def _initialise(self, num_layers: int) -> None:
        """nanoGPT's: weights N(0, 0.02), biases 0, the projections back into the residual stream N(0, 0.02 /
        sqrt(2 L)) so the stream's variance does not grow with depth."""
        for name, parameter in self.named_parameters():
            if name.endswith("bias") or "norm" in name:
                continue
            std = 0.02 / math.sqrt(2 * num_layers) if name.endswith(("attention.proj.weight", "mlp.2.weight")) else 0.02
            nn.init.normal_(parameter, mean=0.0, std=std)
        for module in self.modules():
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)

    def _embed(self, x: torch.Tensor) -> torch.Tensor:
        """x (B, T, In), T <= context -> e (B, T, H): widened, plus positions 0..T-1."""
        positions = torch.arange(x.shape[1], device=x.device)  # (T,)
        return self.drop(self.input(x) + self.position(positions))  # (B, T, H)

    def window(self, x: torch.Tensor) -> torch.Tensor:
        """One window read from position 0: x (B, T, In), T <= context -> out (B, T, H)."""
        e = self._embed(x)  # (B, T, H)
        for block in self.blocks:
            e = block(e)  # (B, T, H)
        return self.norm(e)  # (B, T, H)

    def forward(self, x: torch.Tensor, past: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, In), past (B, P, In) or None -> out (B, T, H), and the new past: the last context - 1 inputs."""
        window = self.context_size
        seq = x if past is None else torch.cat([past, x], dim=1)  # (B, P + T, In)
        first = seq.shape[1] - x.shape[1]  # where the new tokens start in seq
        if seq.shape[1] <= window:
            out = self.window(seq)[:, first:]  # (B, T, H)
        else:
            stride, outs, start = max(1, window // 2), [], first
            while start < seq.shape[1]:
                stop = min(start + stride, seq.shape[1])
                view = seq[:, max(0, stop - window) : stop]  # (B, <= window, In)
                outs.append(self.window(view)[:, -(stop - start) :])  # (B, stop - start, H)
                start = stop
            out = torch.cat(outs, dim=1)  # (B, T, H)
        return out, seq[:, -(window - 1) :] if window > 1 else seq[:, :0]

    @torch.no_grad()
    def attention(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Every layer's attention weights over one window: x (B, T, In) -> per layer (B, heads, T, T)."""
        return self.replay(x)["attention"]

    @torch.no_grad()
    def replay(self, x: torch.Tensor) -> dict:
        """One window through the explicit formula: "attention" (per layer (B, heads, T, T)), "blocks" (per layer its
        output (B, T, H)) and "out" (B, T, H), the normed top, which the fused path must match."""
        if x.shape[1] > self.context_size:
            raise ValueError(
                f"The Transformer reads at most {self.context_size} tokens at once; trace {x.shape[1]} in windows."
            )
        e = self._embed(x)  # (B, T, H)
        weights, outputs = [], []
        for block in self.blocks:
            e, w = block.explicit(e)  # (B, T, H), (B, heads, T, T)
            weights.append(w)
            outputs.append(e)
        return {"attention": weights, "blocks": outputs, "out": self.norm(e)}

"""Llama decoder with past (RMSNorm, rotary embeddings, SwiGLU, grouped-query
attention, untied lm_head, no biases) with HF's module names
(LlamaForCausalLM, transformers 4.31 style). One graph serves prefill
(past_sequence 0) and decode; position_ids is an input, as in optimum's
exports, and gathers rows of cached cos/sin tables."""
import math

import torch
from torch import nn
import torch.nn.functional as F

from common import Config, decoder_axes, decoder_sample, past_names, present_names

NAME = "llama"
SEED = 4
CONFIGS = {
    "tiny": Config(layers=2, hidden=64, heads=4, kv_heads=2, intermediate=256, vocab=1000,
                   max_positions=128, eps=1e-6),
    # ~100M parameters: 12 x 6.3M in the layers + 2 x 12.3M embedding/lm_head.
    "base": Config(layers=12, hidden=768, heads=12, kv_heads=4, intermediate=2048, vocab=16000,
                   max_positions=2048, eps=1e-6),
}


class LlamaRMSNorm(nn.Module):
    def __init__(self, hidden, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden))
        self.variance_epsilon = eps

    def forward(self, x):
        variance = x.to(torch.float32).pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.variance_epsilon))


class LlamaRotaryEmbedding(nn.Module):
    def __init__(self, dim, max_positions, base):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        t = torch.arange(max_positions, dtype=torch.float32)
        emb = torch.cat((torch.outer(t, inv_freq),) * 2, dim=-1)  # [max_positions, dim]
        self.register_buffer("cos_cached", emb.cos()[None, None], persistent=False)
        self.register_buffer("sin_cached", emb.sin()[None, None], persistent=False)

    def forward(self, seq_len):
        return self.cos_cached[:, :, :seq_len], self.sin_cached[:, :, :seq_len]


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin, position_ids):
    cos = cos.squeeze(1).squeeze(0)[position_ids].unsqueeze(1)  # [batch, 1, seq, dim]
    sin = sin.squeeze(1).squeeze(0)[position_ids].unsqueeze(1)
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def repeat_kv(x, n_rep):
    """[batch, kv_heads, seq, dim] -> [batch, kv_heads * n_rep, seq, dim]."""
    b, kv, s, d = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None, :, :].expand(b, kv, n_rep, s, d).reshape(b, kv * n_rep, s, d)


class LlamaAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = cfg.heads, cfg.kv_heads, cfg.head_dim
        self.q_proj = nn.Linear(cfg.hidden, cfg.heads * cfg.head_dim, bias=False)
        self.k_proj = nn.Linear(cfg.hidden, cfg.kv_heads * cfg.head_dim, bias=False)
        self.v_proj = nn.Linear(cfg.hidden, cfg.kv_heads * cfg.head_dim, bias=False)
        self.o_proj = nn.Linear(cfg.heads * cfg.head_dim, cfg.hidden, bias=False)
        self.rotary_emb = LlamaRotaryEmbedding(cfg.head_dim, cfg.max_positions, cfg.rope_theta)

    def forward(self, x, attention_mask, position_ids, past_key_value):
        bsz, q_len, _ = x.size()
        q = self.q_proj(x).view(bsz, q_len, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(bsz, q_len, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(bsz, q_len, self.kv_heads, self.head_dim).transpose(1, 2)
        cos, sin = self.rotary_emb(k.shape[-2] + past_key_value[0].shape[-2])
        q, k = apply_rotary_pos_emb(q, k, cos, sin, position_ids)
        # The cache holds the kv heads before repetition (rotated keys).
        k = torch.cat([past_key_value[0], k], dim=2)
        v = torch.cat([past_key_value[1], v], dim=2)
        present = (k, v)
        n_rep = self.heads // self.kv_heads
        k, v = repeat_kv(k, n_rep), repeat_kv(v, n_rep)
        w = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim) + attention_mask
        w = F.softmax(w, dim=-1, dtype=torch.float32)
        a = torch.matmul(w, v).transpose(1, 2).reshape(bsz, q_len, self.heads * self.head_dim)
        return self.o_proj(a), present


class LlamaMLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden, cfg.intermediate, bias=False)
        self.up_proj = nn.Linear(cfg.hidden, cfg.intermediate, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate, cfg.hidden, bias=False)
        self.act_fn = nn.SiLU()

    def forward(self, x):
        return self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = LlamaAttention(cfg)
        self.mlp = LlamaMLP(cfg)
        self.input_layernorm = LlamaRMSNorm(cfg.hidden, cfg.eps)
        self.post_attention_layernorm = LlamaRMSNorm(cfg.hidden, cfg.eps)

    def forward(self, x, attention_mask, position_ids, past_key_value):
        a, present = self.self_attn(self.input_layernorm(x), attention_mask, position_ids, past_key_value)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), present


class LlamaModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab, cfg.hidden)
        self.layers = nn.ModuleList(LlamaDecoderLayer(cfg) for _ in range(cfg.layers))
        self.norm = LlamaRMSNorm(cfg.hidden, cfg.eps)

    def forward(self, input_ids, attention_mask, position_ids, past_key_values):
        seq = input_ids.size(1)
        past = past_key_values[0][0].size(2)
        # Causal by index (query i sits at past + i) and padding, combined as
        # booleans first so a fully masked row stays finite (finfo.min, not -inf).
        causal = torch.arange(past + seq)[None, :] <= (torch.arange(seq) + past)[:, None]
        allowed = causal[None, None] & attention_mask[:, None, None, :].bool()
        mask = (~allowed).to(torch.float32) * torch.finfo(torch.float32).min
        x = self.embed_tokens(input_ids)
        presents = []
        for layer, layer_past in zip(self.layers, past_key_values):
            x, present = layer(x, mask, position_ids, layer_past)
            presents.append(present)
        return self.norm(x), tuple(presents)


class LlamaForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.model = LlamaModel(cfg)
        self.lm_head = nn.Linear(cfg.hidden, cfg.vocab, bias=False)

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = tuple(zip(past_flat[0::2], past_flat[1::2]))
        h, presents = self.model(input_ids, attention_mask, position_ids, past)
        return self.lm_head(h), presents


def build(cfg):
    return LlamaForCausalLM(cfg)


def signature(cfg):
    inputs = ["input_ids", "attention_mask", "position_ids"] + past_names(cfg.layers)
    outputs = ["logits"] + present_names(cfg.layers)
    return inputs, outputs, decoder_axes(inputs, outputs)


def trace_inputs(cfg):
    g = torch.Generator().manual_seed(0)
    batch, past, seq = 2, 4, 3
    t = {"input_ids": torch.randint(0, cfg.vocab, (batch, seq), generator=g),
         "attention_mask": torch.ones(batch, past + seq, dtype=torch.long),
         "position_ids": torch.arange(past, past + seq).expand(batch, -1)}
    for n in past_names(cfg.layers):
        t[n] = torch.randn(batch, cfg.kv_heads, past, cfg.head_dim, generator=g)
    return t


def sample_inputs(cfg, model, rng, k):
    return decoder_sample(cfg, model, signature(cfg), rng, k, cfg.kv_heads)

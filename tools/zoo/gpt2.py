"""GPT-2 decoder with past (pre-LN, Conv1D, packed QKV, gelu_new, tied
lm_head) with HF's module names (GPT2LMHeadModel). One graph serves prefill
(past_sequence 0) and decode."""
import math

import torch
from torch import nn
import torch.nn.functional as F

from common import (Config, decoder_axes, decoder_sample, gelu_new, past_names,
                    present_names)

NAME = "gpt2"
SEED = 2
CONFIGS = {
    "tiny": Config(layers=2, hidden=64, heads=4, intermediate=256, vocab=1000,
                   max_positions=128),
    "base": Config(layers=12, hidden=768, heads=12, intermediate=3072, vocab=50257,
                   max_positions=1024),
}


class Conv1D(nn.Module):
    """HF's Conv1D: a Linear with a transposed [in, out] weight (addmm -> Gemm)."""

    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        size_out = x.size()[:-1] + (self.nf,)
        x = torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight)
        return x.view(size_out)


class GPT2Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        n = cfg.max_positions
        # HF slices this causal table with the past length (Slice + Where).
        self.register_buffer("bias", torch.tril(torch.ones((n, n), dtype=torch.bool)).view(1, 1, n, n),
                             persistent=False)
        self.heads, self.head_dim, self.hidden = cfg.heads, cfg.head_dim, cfg.hidden
        self.c_attn = Conv1D(3 * cfg.hidden, cfg.hidden)
        self.c_proj = Conv1D(cfg.hidden, cfg.hidden)
        self.attn_dropout = nn.Dropout(0.1)
        self.resid_dropout = nn.Dropout(0.1)

    def _split_heads(self, x):
        return x.view(x.size()[:-1] + (self.heads, self.head_dim)).permute(0, 2, 1, 3)

    def _merge_heads(self, x):
        x = x.permute(0, 2, 1, 3).contiguous()
        return x.view(x.size()[:-2] + (self.hidden,))

    def forward(self, hidden_states, layer_past, attention_mask):
        q, k, v = self.c_attn(hidden_states).split(self.hidden, dim=2)
        q, k, v = self._split_heads(q), self._split_heads(k), self._split_heads(v)
        k = torch.cat((layer_past[0], k), dim=-2)
        v = torch.cat((layer_past[1], v), dim=-2)
        present = (k, v)

        w = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        q_len, k_len = q.size(-2), k.size(-2)
        causal = self.bias[:, :, k_len - q_len: k_len, :k_len]
        w = torch.where(causal, w, torch.full([], torch.finfo(w.dtype).min, dtype=w.dtype))
        w = F.softmax(w + attention_mask, dim=-1)
        a = self._merge_heads(torch.matmul(self.attn_dropout(w), v))
        return self.resid_dropout(self.c_proj(a)), present


class GPT2MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = Conv1D(cfg.intermediate, cfg.hidden)
        self.c_proj = Conv1D(cfg.hidden, cfg.intermediate)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x):
        return self.dropout(self.c_proj(gelu_new(self.c_fc(x))))


class GPT2Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.hidden, eps=cfg.eps)
        self.attn = GPT2Attention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.hidden, eps=cfg.eps)
        self.mlp = GPT2MLP(cfg)

    def forward(self, x, layer_past, attention_mask):
        a, present = self.attn(self.ln_1(x), layer_past, attention_mask)
        x = x + a
        return x + self.mlp(self.ln_2(x)), present


class GPT2Model(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.wte = nn.Embedding(cfg.vocab, cfg.hidden)
        self.wpe = nn.Embedding(cfg.max_positions, cfg.hidden)
        self.drop = nn.Dropout(0.1)
        self.h = nn.ModuleList(GPT2Block(cfg) for _ in range(cfg.layers))
        self.ln_f = nn.LayerNorm(cfg.hidden, eps=cfg.eps)

    def forward(self, input_ids, past_key_values, attention_mask):
        past_length = past_key_values[0][0].size(-2)
        # HF's default position_ids (none given): continue after the past.
        position_ids = torch.arange(past_length, input_ids.size(-1) + past_length,
                                    dtype=torch.long).unsqueeze(0)
        # [batch, total_sequence] 1/0 -> additive [batch, 1, 1, total_sequence].
        mask = attention_mask[:, None, None, :].to(torch.float32)
        mask = (1.0 - mask) * torch.finfo(torch.float32).min
        x = self.drop(self.wte(input_ids) + self.wpe(position_ids))
        presents = []
        for block, layer_past in zip(self.h, past_key_values):
            x, present = block(x, layer_past, mask)
            presents.append(present)
        return self.ln_f(x), tuple(presents)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.transformer = GPT2Model(cfg)
        self.lm_head = nn.Linear(cfg.hidden, cfg.vocab, bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # tied

    def forward(self, input_ids, attention_mask, *past_flat):
        # Graph inputs are flat: past_key_values.{i}.key, past_key_values.{i}.value.
        past = tuple(zip(past_flat[0::2], past_flat[1::2]))
        h, presents = self.transformer(input_ids, past, attention_mask)
        return self.lm_head(h), presents


def build(cfg):
    return GPT2LMHeadModel(cfg)


def signature(cfg):
    inputs = ["input_ids", "attention_mask"] + past_names(cfg.layers)
    outputs = ["logits"] + present_names(cfg.layers)
    return inputs, outputs, decoder_axes(inputs, outputs)


def trace_inputs(cfg):
    # A non-zero past (4) and sequence (3), distinct from every other dim.
    g = torch.Generator().manual_seed(0)
    batch, past, seq = 2, 4, 3
    t = {"input_ids": torch.randint(0, cfg.vocab, (batch, seq), generator=g),
         "attention_mask": torch.ones(batch, past + seq, dtype=torch.long)}
    for n in past_names(cfg.layers):
        t[n] = torch.randn(batch, cfg.heads, past, cfg.head_dim, generator=g)
    return t


def sample_inputs(cfg, model, rng, k):
    return decoder_sample(cfg, model, signature(cfg), rng, k, cfg.heads)

"""ViT image classifier (Conv2d patches, CLS token, pre-LN, GELU erf) with
HF's module names (ViTForImageClassification). Image size is static."""
import math

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from common import Config

NAME = "vit"
SEED = 3
CONFIGS = {
    "tiny": Config(layers=2, hidden=64, heads=4, intermediate=256, image_size=32,
                   patch_size=8, num_labels=10, eps=1e-12),
    "base": Config(layers=12, hidden=768, heads=12, intermediate=3072, image_size=224,
                   patch_size=16, num_labels=1000, eps=1e-12),
}


class ViTPatchEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.projection = nn.Conv2d(cfg.channels, cfg.hidden, kernel_size=cfg.patch_size,
                                    stride=cfg.patch_size)

    def forward(self, pixel_values):
        return self.projection(pixel_values).flatten(2).transpose(1, 2)


class ViTEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        patches = (cfg.image_size // cfg.patch_size) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.hidden))
        self.patch_embeddings = ViTPatchEmbeddings(cfg)
        self.position_embeddings = nn.Parameter(torch.zeros(1, patches + 1, cfg.hidden))
        self.dropout = nn.Dropout(0.1)

    def forward(self, pixel_values):
        x = self.patch_embeddings(pixel_values)
        cls = self.cls_token.expand(x.size(0), -1, -1)
        return self.dropout(torch.cat((cls, x), dim=1) + self.position_embeddings)


class ViTSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.heads, self.head_dim = cfg.heads, cfg.head_dim
        self.query = nn.Linear(cfg.hidden, cfg.hidden)
        self.key = nn.Linear(cfg.hidden, cfg.hidden)
        self.value = nn.Linear(cfg.hidden, cfg.hidden)
        self.dropout = nn.Dropout(0.1)

    def transpose_for_scores(self, x):
        return x.view(x.size()[:-1] + (self.heads, self.head_dim)).permute(0, 2, 1, 3)

    def forward(self, x):
        q = self.transpose_for_scores(self.query(x))
        k = self.transpose_for_scores(self.key(x))
        v = self.transpose_for_scores(self.value(x))
        probs = self.dropout(F.softmax(torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim), dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.size()[:-2] + (self.heads * self.head_dim,))


class ViTSelfOutput(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.dense = nn.Linear(cfg.hidden, cfg.hidden)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x):
        return self.dropout(self.dense(x))


class ViTAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attention = ViTSelfAttention(cfg)
        self.output = ViTSelfOutput(cfg)

    def forward(self, x):
        return self.output(self.attention(x))


class ViTIntermediate(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.dense = nn.Linear(cfg.hidden, cfg.intermediate)

    def forward(self, x):
        return F.gelu(self.dense(x))


class ViTOutput(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.dense = nn.Linear(cfg.intermediate, cfg.hidden)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x, residual):
        return self.dropout(self.dense(x)) + residual


class ViTLayer(nn.Module):
    """Pre-LN: residual adds outside the norms (unlike BERT)."""

    def __init__(self, cfg):
        super().__init__()
        self.attention = ViTAttention(cfg)
        self.intermediate = ViTIntermediate(cfg)
        self.output = ViTOutput(cfg)
        self.layernorm_before = nn.LayerNorm(cfg.hidden, eps=cfg.eps)
        self.layernorm_after = nn.LayerNorm(cfg.hidden, eps=cfg.eps)

    def forward(self, x):
        x = self.attention(self.layernorm_before(x)) + x
        return self.output(self.intermediate(self.layernorm_after(x)), x)


class ViTEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layer = nn.ModuleList(ViTLayer(cfg) for _ in range(cfg.layers))

    def forward(self, x):
        for layer in self.layer:
            x = layer(x)
        return x


class ViTModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = ViTEmbeddings(cfg)
        self.encoder = ViTEncoder(cfg)
        self.layernorm = nn.LayerNorm(cfg.hidden, eps=cfg.eps)

    def forward(self, pixel_values):
        return self.layernorm(self.encoder(self.embeddings(pixel_values)))


class ViTForImageClassification(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.vit = ViTModel(cfg)
        self.classifier = nn.Linear(cfg.hidden, cfg.num_labels)

    def forward(self, pixel_values):
        h = self.vit(pixel_values)
        return self.classifier(h[:, 0, :]), h


def build(cfg):
    return ViTForImageClassification(cfg)


def signature(cfg):
    return (["pixel_values"], ["logits", "last_hidden_state"],
            {"pixel_values": {0: "batch"}, "logits": {0: "batch"}, "last_hidden_state": {0: "batch"}})


def trace_inputs(cfg):
    g = torch.Generator().manual_seed(0)
    return {"pixel_values": torch.randn(3, cfg.channels, cfg.image_size, cfg.image_size, generator=g)}


def sample_inputs(cfg, model, rng, k):
    """Normalised-image-like values; batch 2, then 1, alternating."""
    batch = 2 - k % 2
    x = rng.standard_normal((batch, cfg.channels, cfg.image_size, cfg.image_size))
    return {"pixel_values": x.astype(np.float32)}

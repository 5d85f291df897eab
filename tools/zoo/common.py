"""Shared pieces of the model zoo: configuration, seeded initialisation,
ONNX export and the reference inputs/outputs written beside each model.

Every family module (bert, gpt2, vit, llama) provides
  CONFIGS                 {"tiny": Config, "base": Config}
  SEED                    weight seed of the family
  build(cfg)              the nn.Module; forward takes the graph inputs as flat
                          positional arguments and returns a flat tuple
  signature(cfg)          (input_names, output_names, dynamic_axes)
  trace_inputs(cfg)       {name: tensor} used to trace the export
  sample_inputs(cfg, model, rng, k)  {name: np.ndarray}, the k-th input set
"""
import dataclasses
import math
import os

import numpy as np
import torch


@dataclasses.dataclass(frozen=True)
class Config:
    layers: int
    hidden: int
    heads: int
    intermediate: int
    vocab: int = 0
    max_positions: int = 0
    kv_heads: int = 0  # llama's grouped-query attention; 0: same as heads
    type_vocab: int = 2  # bert's token types
    image_size: int = 0  # vit
    patch_size: int = 0
    channels: int = 3
    num_labels: int = 0
    eps: float = 1e-5
    rope_theta: float = 10000.0

    @property
    def head_dim(self):
        return self.hidden // self.heads


def init_weights(model, seed):
    """N(0, 0.02) for matrices and embeddings; biases N(0, 0.1) and norm
    scales 1 + N(0, 0.1), so that an exporter or compiler that drops a bias
    or a norm's affine terms changes the outputs visibly."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        # named_parameters() is in registration order and skips tied weights
        # (gpt2's lm_head), so the same seed gives the same weights.
        for name, p in model.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            if leaf == "bias":
                p.normal_(0.0, 0.1, generator=g)
            elif leaf == "weight" and p.dim() == 1:  # LayerNorm / RMSNorm scale
                p.normal_(1.0, 0.1, generator=g)
            else:
                p.normal_(0.0, 0.02, generator=g)
    return model


def build_seeded(family, cfg):
    torch.manual_seed(family.SEED)  # anything a module draws at construction
    model = family.build(cfg)
    init_weights(model, family.SEED)
    return model.eval()


def flatten(obj):
    """Flattens nested tuples/lists of tensors in order, as the exporter does."""
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in flatten(o)]
    return [obj]


def run_torch(model, input_names, output_names, inputs):
    args = [torch.from_numpy(np.ascontiguousarray(inputs[n])) for n in input_names]
    with torch.no_grad():
        outs = flatten(model(*args))
    assert len(outs) == len(output_names), (len(outs), output_names)
    return {n: o.numpy() for n, o in zip(output_names, outs)}


def export(family, cfg_name, opset, out_dir, n_inputs=0):
    """Writes OUT_DIR/<model>_<cfg>_op<opset>.onnx and n_inputs input sets
    with the torch module's outputs as expected_<output>.npy. Returns the path."""
    cfg = family.CONFIGS[cfg_name]
    model = build_seeded(family, cfg)
    input_names, output_names, dynamic_axes = family.signature(cfg)
    trace = family.trace_inputs(cfg)
    stem = f"{family.NAME}_{cfg_name}_op{opset}"
    path = os.path.join(out_dir, stem + ".onnx")
    with torch.no_grad():
        torch.onnx.export(
            model,
            tuple(trace[n] for n in input_names),
            path,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes,
            opset_version=opset,
            do_constant_folding=True,
        )
    for k in range(n_inputs):
        # Input sets depend on the model and k only, not on the opset.
        rng = np.random.default_rng([family.SEED, k])
        inputs = family.sample_inputs(cfg, model, rng, k)
        d = os.path.join(out_dir, f"{stem}.inputs_{k}")
        os.makedirs(d, exist_ok=True)
        for n in input_names:
            np.save(os.path.join(d, n + ".npy"), inputs[n])
        for n, v in run_torch(model, input_names, output_names, inputs).items():
            np.save(os.path.join(d, f"expected_{n}.npy"), v)
    return path


# --- pieces several families share ----------------------------------------

def gelu_new(x):
    """GPT-2's tanh approximation of GELU (HF's "gelu_new")."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def decoder_axes(input_names, output_names):
    """Dynamic axes of a decoder with past: names shared by inputs and outputs
    so that shapes relate (present's length is total_sequence)."""
    axes = {}
    for n in input_names:
        if n.startswith("past_key_values."):
            axes[n] = {0: "batch", 2: "past_sequence"}
        elif n == "attention_mask":
            axes[n] = {0: "batch", 1: "total_sequence"}
        else:  # input_ids, position_ids
            axes[n] = {0: "batch", 1: "sequence"}
    for n in output_names:
        if n.startswith("present."):
            axes[n] = {0: "batch", 2: "total_sequence"}
        else:  # logits
            axes[n] = {0: "batch", 1: "sequence"}
    return axes


def past_names(layers):
    return [f"past_key_values.{i}.{kv}" for i in range(layers) for kv in ("key", "value")]


def present_names(layers):
    return [f"present.{i}.{kv}" for i in range(layers) for kv in ("key", "value")]


def decoder_sample(cfg, model, sig, rng, k, kv_heads):
    """Even k: prefill (batch 1, past 0, sequence 7). Odd k: one-token decode
    (batch 3, past 5) whose past is the torch model's presents for 5 earlier
    tokens, and whose second row is left-padded (attention_mask 0 first).
    Sizes differ from the traced ones (batch 2, past 4, sequence 3)."""
    batch, past, seq = (1, 0, 7) if k % 2 == 0 else (3, 5, 1)
    total = past + seq
    ids = rng.integers(0, cfg.vocab, size=(batch, total), dtype=np.int64)
    mask = np.ones((batch, total), dtype=np.int64)
    if past:
        mask[1, 0] = 0
    # HF's generate(): positions count the unpadded tokens.
    pos = np.maximum(np.cumsum(mask, axis=1) - 1, 0).astype(np.int64)
    input_names, output_names, _ = sig
    pkv_names = [n for n in input_names if n.startswith("past_key_values.")]
    if past:
        first = {"input_ids": ids[:, :past], "attention_mask": mask[:, :past],
                 "position_ids": pos[:, :past]}
        for n in pkv_names:
            first[n] = np.zeros((batch, kv_heads, 0, cfg.head_dim), np.float32)
        outs = run_torch(model, input_names, output_names, first)
        pasts = [outs[n.replace("past_key_values.", "present.")] for n in pkv_names]
    else:
        pasts = [np.zeros((batch, kv_heads, 0, cfg.head_dim), np.float32) for _ in pkv_names]
    inputs = {"input_ids": ids[:, past:], "attention_mask": mask}
    if "position_ids" in input_names:
        inputs["position_ids"] = pos[:, past:]
    inputs.update(zip(pkv_names, pasts))
    return inputs

#!/usr/bin/env python3
"""Mutation fuzzer for `tfmc import`.

The importer must answer any input -- a malformed protobuf, an unknown op, a
wrong attribute, shape or dtype, an inconsistent graph -- with exit code 1
and exactly one line on stderr (`PATH: node 'NAME' (OpType): message` or
`PATH: message`). This script mutates seed models and flags every run that
breaks that contract: a signal or other exit code, a timeout, or stderr
that is not one line (zero lines on success).

A developer tool, not part of the lit suite (lit only runs .mlir, .onnxtxt
and .test files). Python 3 standard library only; structured mutations
need the `onnx` package and are skipped without it.

Usage, from the repository root (one worker; each campaign bounded in time):

    .venv/bin/python test/fuzz/fuzz_import.py \\
        --tfmc build/bin/tfmc --seconds 300 --out /tmp/tfmc-fuzz

    # Only byte-level mutations (works with /usr/bin/python3), or only token
    # edits of the .onnxtxt seeds (ONNX's text parser):
    python3 test/fuzz/fuzz_import.py --tfmc build/bin/tfmc --mode bytes
    python3 test/fuzz/fuzz_import.py --tfmc build/bin/tfmc --mode text

    # A build with -fsanitize=address,undefined also catches memory errors and
    # undefined behaviour that do not crash (their reports make stderr longer
    # than one line). LLVM's allocators poison memory that the uninstrumented
    # libMLIR.so does not unpoison: turn user poisoning off. Starting up runs
    # every seed once to find those that import; --good-seeds caches that.
    ASAN_OPTIONS=allow_user_poisoning=0 .venv/bin/python \\
        test/fuzz/fuzz_import.py --tfmc build-asan/bin/tfmc \\
        --good-seeds /tmp/tfmc-fuzz/good-seeds.txt

    # Shrink one finding (same failure signature) to a small model:
    .venv/bin/python test/fuzz/fuzz_import.py --tfmc build/bin/tfmc \\
        --minimize /tmp/tfmc-fuzz/crash-XXXX.onnx

Seeds (missing ones are skipped): ../shared/models/*.onnx next to the
repository, the ONNX backend node tests in /usr/share/libonnx-testdata, and
test/lib/Import/**/*.onnxtxt (each split-file section is one seed); add more
with --seed-glob. Most mutants come from seeds that import (--good-ratio),
so that they get past the first node. Findings are written to --out as
`KIND-HASH.onnx` (or .onnxtxt) with a `.txt` holding the seed, the failure
signature and the command's stderr; one file per distinct signature (kind:
crash, hang, multiline, noisy, badprefix). The exit code is 1 when anything
was found.
"""

import argparse
import glob
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import onnx
    from onnx import AttributeProto, TensorProto, helper
except ImportError:  # byte-level mutations only
    onnx = None

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# Used when the importer's sources are not next to this script.
FALLBACK_ONNX_OPS = ["Add", "Concat", "Gather", "MatMul", "Reshape", "Slice", "Softmax",
                     "Transpose", "Unsqueeze", "Squeeze", "LayerNormalization", "Cast"]
FALLBACK_CONTRIB_OPS = ["Attention", "MultiHeadAttention", "GroupQueryAttention",
                        "SkipLayerNormalization", "EmbedLayerNormalization",
                        "RotaryEmbedding", "FusedMatMul", "QAttention"]

ATTR_NAMES = ["axis", "axes", "perm", "keepdims", "noop_with_empty_axes", "to", "split",
              "num_outputs", "allowzero", "start", "end", "equation", "kernel_shape",
              "strides", "pads", "dilations", "auto_pad", "group", "ceil_mode", "transA",
              "transB", "alpha", "beta", "epsilon", "num_heads", "kv_num_heads",
              "qkv_hidden_sizes", "unidirectional", "scale", "do_rotary", "interleaved",
              "rotary_embedding_dim", "block_size", "output_dtype", "saturate", "value",
              "value_int", "value_ints", "value_float", "value_floats", "mode",
              "approximate", "stash_type", "training_mode", "fmod", "upper", "largest",
              "sorted", "exclusive", "reverse", "select_last_index", "mask_index_type",
              "local_window_size", "softcap", "ratio", "storage_order", "count_include_pad"]

EXTREME_INTS = [0, 1, -1, 2, -2, 3, 7, 64, -64, 1 << 31, -(1 << 31), (1 << 62), -(1 << 62),
                (1 << 63) - 1, -(1 << 63)]
EXTREME_FLOATS = [0.0, -0.0, 1.0, -1.0, 1e-30, 1e30, float("inf"), float("-inf"),
                  float("nan"), 0.5]
DATA_TYPES = list(range(0, 26))
SYMBOLS = ["batch", "seq", "N", "seq + 1", "2*batch", "", "-x", "a b", "past_seq"]


def supported_ops():
    """Op types from the importer's tables (OnnxOps.cpp, ContribOps.cpp)."""
    onnx_ops, contrib_ops = [], []
    try:
        # Entries are written add("Op", ...) or t["Op"] = ...
        entry = r'(?:\badd\(|\bt\[)"(\w+)"'
        with open(os.path.join(REPO, "lib", "Import", "OnnxOps.cpp")) as f:
            onnx_ops = re.findall(entry, f.read())
        with open(os.path.join(REPO, "lib", "Import", "ContribOps.cpp")) as f:
            contrib_ops = re.findall(entry, f.read())
    except OSError:
        pass
    return onnx_ops or FALLBACK_ONNX_OPS, contrib_ops or FALLBACK_CONTRIB_OPS


ONNX_OPS, CONTRIB_OPS = supported_ops()


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------

class Seed:
    def __init__(self, name, data, text):
        self.name = name
        self.data = data  # bytes (binary protobuf) or str (ONNX text syntax)
        self.text = text
        self._model = None

    def model(self):
        """The seed as a ModelProto (None when it does not parse)."""
        if self._model is None and onnx is not None:
            try:
                if self.text:
                    self._model = onnx.parser.parse_model(self.data)
                else:
                    self._model = onnx.load_from_string(self.data)
            except Exception:  # the seed itself may be an error case
                self._model = False
        return self._model or None


def split_sections(text):
    """split-file sections (`#--- name`), or the whole text."""
    parts = re.split(r"^#--- .*$", text, flags=re.M)
    sections = [p for p in parts[1:] if "=>" in p] if len(parts) > 1 else [text]
    return sections


def load_seeds(extra_globs, max_size):
    paths = sorted(glob.glob(os.path.join(REPO, "..", "shared", "models", "*.onnx")))
    paths += sorted(glob.glob("/usr/share/libonnx-testdata/data/node/*/model.onnx"))
    paths += sorted(glob.glob(os.path.join(REPO, "test", "lib", "Import", "**", "*.onnxtxt"),
                              recursive=True))
    paths += sorted(glob.glob(os.path.join(REPO, "test", "lib", "Import", "**", "*.onnx"),
                              recursive=True))
    for g in extra_globs:
        paths += sorted(glob.glob(g, recursive=True))
    seeds = []
    for path in paths:
        if os.path.getsize(path) > max_size:
            continue
        if path.endswith(".onnxtxt"):
            with open(path, encoding="utf-8", errors="replace") as f:
                for i, section in enumerate(split_sections(f.read())):
                    seeds.append(Seed("%s#%d" % (path, i), section, True))
        else:
            with open(path, "rb") as f:
                seeds.append(Seed(path, f.read(), False))
    return seeds


# ---------------------------------------------------------------------------
# Byte-level mutations
# ---------------------------------------------------------------------------

def mutate_bytes(rng, data):
    buf = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 8])):
        if not buf:
            buf.append(rng.randrange(256))
        op = rng.randrange(7)
        pos = rng.randrange(len(buf))
        if op == 0:  # bit flip
            buf[pos] ^= 1 << rng.randrange(8)
        elif op == 1:  # random byte
            buf[pos] = rng.randrange(256)
        elif op == 2:  # truncate
            del buf[rng.randrange(len(buf)):]
        elif op == 3:  # insert
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
        elif op == 4:  # delete a chunk
            del buf[pos:pos + rng.randrange(1, 17)]
        elif op == 5:  # interesting varint-ish bytes
            buf[pos] = rng.choice([0x00, 0x7F, 0x80, 0xFF, 0x01, 0x08, 0x10, 0x12, 0x1A])
        else:  # duplicate a chunk
            chunk = buf[pos:pos + rng.randrange(1, 33)]
            at = rng.randrange(len(buf) + 1)
            buf[at:at] = chunk
    return bytes(buf)


def mutate_text(rng, text):
    """Token-level edits of ONNX text syntax."""
    tokens = re.split(r"(\W)", text)
    for _ in range(rng.choice([1, 1, 2, 3])):
        if not tokens:
            break
        i = rng.randrange(len(tokens))
        op = rng.randrange(6)
        if op == 0:
            del tokens[i]
        elif op == 1:
            tokens.insert(i, rng.choice(["(", ")", "[", "]", "<", ">", ",", "=", ":", "\"",
                                         "{", "}", "-1", "0", "999999999999999999999", "x",
                                         "float", "int64", "?", "\n"]))
        elif op == 2:
            tokens[i] = rng.choice(tokens)
        elif op == 3 and tokens[i].isdigit():
            tokens[i] = str(rng.choice(EXTREME_INTS))
        elif op == 4:
            j = rng.randrange(len(tokens))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens[i:i] = tokens[i:i + rng.randrange(1, 6)]
    return "".join(tokens)


# ---------------------------------------------------------------------------
# Structured mutations (onnx package)
# ---------------------------------------------------------------------------

def all_value_names(graph):
    names = [i.name for i in graph.input] + [t.name for t in graph.initializer]
    for n in graph.node:
        names += [o for o in n.output if o]
    return names or ["x"]


def random_tensor(rng, name=""):
    t = TensorProto()
    t.name = name
    t.data_type = rng.choice([TensorProto.FLOAT, TensorProto.INT64, TensorProto.INT32,
                              TensorProto.BOOL, TensorProto.FLOAT16, TensorProto.UINT8,
                              TensorProto.INT8, TensorProto.DOUBLE, rng.choice(DATA_TYPES)])
    shape = rng.choice([[], [0], [1], [2], [3], [1, 1], [2, 3], [4, 0], [1, 2, 3, 4],
                        [1 << 20, 1 << 20], [-1], [5]])
    t.dims.extend(shape)
    count = 1
    for d in shape:
        count *= max(d, 0)
    count = min(count, 64)
    if rng.random() < 0.3:
        count += rng.choice([-1, 1, 3])
    count = max(count, 0)
    sizes = {TensorProto.FLOAT: 4, TensorProto.INT64: 8, TensorProto.INT32: 4,
             TensorProto.DOUBLE: 8, TensorProto.FLOAT16: 2}
    nbytes = count * sizes.get(t.data_type, 1)
    if rng.random() < 0.5:
        t.raw_data = bytes(rng.randrange(256) for _ in range(nbytes))
    elif t.data_type == TensorProto.INT64:
        t.int64_data.extend(rng.choice(EXTREME_INTS) for _ in range(count))
    elif t.data_type == TensorProto.FLOAT:
        t.float_data.extend(rng.choice(EXTREME_FLOATS) for _ in range(count))
    else:
        t.int32_data.extend(rng.randrange(-3, 300) for _ in range(count))
    return t


def random_attribute(rng, name):
    kind = rng.randrange(8)
    if kind == 0:
        return helper.make_attribute(name, rng.choice(EXTREME_INTS))
    if kind == 1:
        return helper.make_attribute(name, rng.choice(EXTREME_FLOATS))
    if kind == 2:
        return helper.make_attribute(name, [rng.choice(EXTREME_INTS)
                                            for _ in range(rng.randrange(1, 6))])
    if kind == 3:
        a = AttributeProto()
        a.name = name
        a.type = AttributeProto.INTS
        return a  # an empty list
    if kind == 4:
        return helper.make_attribute(name, rng.choice(["", "NOTSET", "SAME_UPPER", "VALID",
                                                       "tanh", "none", "ij,jk->ik", "...",
                                                       "a->", "constant", "reflect",
                                                       "\xff", "ab,bc", "i...,j->ij"]))
    if kind == 5:
        return helper.make_attribute(name, random_tensor(rng))
    if kind == 6:
        return helper.make_attribute(name, [rng.choice(EXTREME_FLOATS)
                                            for _ in range(rng.randrange(1, 4))])
    a = AttributeProto()
    a.name = name
    a.type = rng.choice([AttributeProto.GRAPH, AttributeProto.STRINGS, AttributeProto.UNDEFINED,
                         AttributeProto.SPARSE_TENSOR, AttributeProto.TENSORS])
    return a


def retype_attribute(rng, a):
    """Keeps the name and, where possible, the value, but changes the kind."""
    value = None
    if a.type == AttributeProto.INT:
        value = rng.choice([float(a.i), [a.i], str(a.i), random_tensor(rng)])
    elif a.type == AttributeProto.FLOAT:
        value = rng.choice([int(a.f) if a.f == a.f and abs(a.f) < 1e18 else 0, [a.f],
                            str(a.f)])
    elif a.type == AttributeProto.INTS:
        value = rng.choice([a.ints[0] if a.ints else 0, [float(v) for v in a.ints] or [1.0],
                            "x"])
    elif a.type == AttributeProto.STRING:
        value = rng.choice([1, 1.0, [1, 2]])
    elif a.type == AttributeProto.TENSOR:
        value = rng.choice([1, 1.0, [1], "t"])
    if value is None:
        return random_attribute(rng, a.name)
    return helper.make_attribute(a.name, value)


def extreme_attribute(rng, a):
    b = AttributeProto()
    b.CopyFrom(a)
    if a.type == AttributeProto.INT:
        b.i = rng.choice(EXTREME_INTS)
    elif a.type == AttributeProto.FLOAT:
        b.f = rng.choice(EXTREME_FLOATS)
    elif a.type == AttributeProto.INTS:
        del b.ints[:]
        b.ints.extend(rng.choice(EXTREME_INTS) for _ in range(rng.choice([0, 1, 2, 3, 5, 9])))
    elif a.type == AttributeProto.STRING:
        b.s = rng.choice([b"", b"\xff\xfe", b"x" * 1000, b"NOTSET", b"...", b"->"])
    elif a.type == AttributeProto.TENSOR:
        b.t.CopyFrom(random_tensor(rng, a.t.name))
    else:
        return random_attribute(rng, a.name)
    return b


def mutate_dims(rng, value_info):
    tt = value_info.type.tensor_type
    if not value_info.type.HasField("tensor_type"):
        return
    op = rng.randrange(8)
    dims = tt.shape.dim
    if op == 0 and len(dims):
        d = rng.choice(dims)
        d.dim_value = rng.choice([0, 1, 2, 3, 7, 64, 1 << 31, 1 << 40, (1 << 62), -1, -(1 << 63)])
    elif op == 1 and len(dims):
        d = rng.choice(dims)
        d.dim_param = rng.choice(SYMBOLS)
    elif op == 2 and len(dims):
        del dims[rng.randrange(len(dims))]
    elif op == 3:
        d = dims.add()
        d.dim_value = rng.choice([1, 2, 4])
    elif op == 4:
        tt.elem_type = rng.choice(DATA_TYPES)
    elif op == 5:
        tt.ClearField("shape")
        if rng.random() < 0.5:
            tt.shape.SetInParent()  # rank 0
    elif op == 6 and len(dims):
        rng.choice(dims).Clear()  # neither value nor param
    else:
        del dims[:]
        for _ in range(rng.randrange(0, 6)):
            dims.add().dim_value = rng.choice([1, 2, 3, 4, 8])


def make_op_node(rng, graph, op_type, domain=""):
    names = all_value_names(graph)
    node = helper.make_node(op_type, [rng.choice(names) for _ in range(rng.randrange(0, 6))],
                            ["fz_%d" % rng.randrange(1 << 30)
                             for _ in range(rng.choice([1, 1, 1, 2, 3]))],
                            name="fz_node_%d" % rng.randrange(1 << 30), domain=domain)
    for _ in range(rng.randrange(0, 3)):
        node.attribute.append(random_attribute(rng, rng.choice(ATTR_NAMES)))
    return node


def consumers_of_contrib(graph):
    """Graph inputs and initializers that feed a com.microsoft node."""
    feeds = set()
    for n in graph.node:
        if n.domain == "com.microsoft" or n.op_type in CONTRIB_OPS:
            feeds.update(n.input)
    return feeds


def int_tensors(model):
    """Small integer tensors (shapes, axes, indices): initializers and the
    values of Constant nodes."""
    out = [t for t in model.graph.initializer]
    for n in model.graph.node:
        if n.op_type == "Constant":
            out += [a.t for a in n.attribute if a.type == AttributeProto.TENSOR]
    return [t for t in out if t.data_type in (TensorProto.INT64, TensorProto.INT32)
            and len(t.dims) <= 1 and (not t.dims or t.dims[0] <= 16)]


def set_int_values(rng, t):
    """New contents for a shape-like tensor: extremes, -1s, 0s, other lengths."""
    n = t.dims[0] if t.dims else 1
    if rng.random() < 0.3:
        n = rng.choice([0, 1, 2, 3, 4, 5, 8])
    values = [rng.choice(EXTREME_INTS + [-1, 0, 1, 2, 4, -3]) for _ in range(n)]
    wide = t.data_type == TensorProto.INT64
    values = [v if wide else max(-(1 << 31), min(v, (1 << 31) - 1)) for v in values]
    t.ClearField("raw_data")
    t.ClearField("int64_data")
    t.ClearField("int32_data")
    (t.int64_data if wide else t.int32_data).extend(values)
    if t.dims or rng.random() < 0.5:
        del t.dims[:]
        t.dims.append(n)


def node_op_type(rng, node):
    if rng.random() < 0.25:
        node.op_type = rng.choice(CONTRIB_OPS)
        node.domain = rng.choice(["com.microsoft", "com.microsoft", ""])
    else:
        node.op_type = rng.choice(ONNX_OPS)
        node.domain = ""


def node_inputs(rng, g, node):
    k = rng.randrange(5)
    if k == 0 and len(node.input):
        del node.input[rng.randrange(len(node.input))]
    elif k == 1:
        node.input.append(rng.choice(list(node.input) or all_value_names(g)))
    elif k == 2 and len(node.input):
        node.input[rng.randrange(len(node.input))] = ""
    elif k == 3:  # an input from anywhere earlier (other shapes, other dtypes)
        before = [i.name for i in g.input] + [t.name for t in g.initializer]
        for n in g.node:
            if n is node:
                break
            before += [o for o in n.output if o]
        if before and len(node.input):
            node.input[rng.randrange(len(node.input))] = rng.choice(before)
    elif len(node.input) > 1:
        i, j = rng.randrange(len(node.input)), rng.randrange(len(node.input))
        node.input[i], node.input[j] = node.input[j], node.input[i]


def node_outputs(rng, g, node):
    k = rng.randrange(3)
    if k == 0 and len(node.output):
        del node.output[rng.randrange(len(node.output))]
    elif k == 1:
        node.output.append(rng.choice(["", "fz_out_%d" % rng.randrange(1 << 30),
                                       "fz_out_%d" % rng.randrange(1 << 30),
                                       rng.choice(all_value_names(g))]))
    elif len(node.output):
        node.output[rng.randrange(len(node.output))] = ""


def node_attribute(rng, node):
    k = rng.randrange(4)
    if k == 0 and len(node.attribute):
        i = rng.randrange(len(node.attribute))
        node.attribute[i].CopyFrom(retype_attribute(rng, node.attribute[i]))
    elif k == 1 and len(node.attribute):
        i = rng.randrange(len(node.attribute))
        node.attribute[i].CopyFrom(extreme_attribute(rng, node.attribute[i]))
    elif k == 2 and len(node.attribute):
        del node.attribute[rng.randrange(len(node.attribute))]
    else:
        node.attribute.append(random_attribute(rng, rng.choice(ATTR_NAMES)))


def initializer_data(rng, g):
    if not len(g.initializer):
        return
    t = rng.choice(g.initializer)
    k = rng.randrange(5)
    if k == 0:
        t.data_type = rng.choice(DATA_TYPES)
    elif k == 1 and t.HasField("raw_data"):
        n = len(t.raw_data)
        t.raw_data = t.raw_data[:rng.randrange(n + 1)] if rng.random() < 0.7 else \
            t.raw_data + b"\0" * rng.randrange(1, 9)
    elif k == 2:
        del t.dims[:]
        t.dims.extend(rng.choice([[], [0], [1], [1 << 40], [2, -1], [3, 3],
                                  [1 << 31, 1 << 31]]))
    elif k == 3:
        t.data_location = TensorProto.EXTERNAL
        e = t.external_data.add()
        e.key, e.value = rng.choice([("location", "nope.bin"), ("offset", "x"),
                                     ("length", "-5"), ("location", "."), ("location", ""),
                                     ("offset", "99999999999999999999")])
    else:
        t.CopyFrom(random_tensor(rng, t.name))


def opsets(rng, model):
    for op in model.opset_import:
        if rng.random() < 0.6:
            op.version = rng.choice(list(range(1, 31)) + [0, -1, 1 << 40])
    if rng.random() < 0.2 and len(model.opset_import):
        del model.opset_import[rng.randrange(len(model.opset_import))]
    if rng.random() < 0.2:
        model.opset_import.add().CopyFrom(helper.make_opsetid("com.microsoft", 1))


def graph_edges(rng, g, node):
    """Cycles, dangling references, duplicate producers."""
    k = rng.randrange(4)
    if k == 0 and len(node.input) and len(node.output):
        node.input[rng.randrange(len(node.input))] = node.output[0]
    elif k == 1 and len(node.input):
        node.input[rng.randrange(len(node.input))] = "dangling_%d" % rng.randrange(100)
    elif k == 2 and len(node.input):
        later = [o for n in g.node for o in n.output if o]
        if later:
            node.input[rng.randrange(len(node.input))] = rng.choice(later)
    elif len(node.output):
        node.output[rng.randrange(len(node.output))] = rng.choice(all_value_names(g))


def odd_constant(rng, g):
    c = helper.make_node("Constant", [], ["fz_c_%d" % rng.randrange(1 << 30)])
    name = rng.choice(["value", "value", "value_int", "value_ints", "value_float",
                       "value_floats", "value_string", "sparse_value", "bogus"])
    if name == "value":
        c.attribute.append(helper.make_attribute(name, random_tensor(rng)))
    else:
        c.attribute.append(random_attribute(rng, name))
    if rng.random() < 0.1:
        c.attribute.append(random_attribute(rng, "value_int"))
    nodes = g.node
    users = [i for i, n in enumerate(nodes) if len(n.input)]
    if users:
        i = rng.choice(users)
        nodes.insert(i, c)
        user = nodes[i + 1]
        user.input[rng.randrange(len(user.input))] = c.output[0]
    else:
        nodes.append(c)


def new_node(rng, g):
    """A node of a supported op on existing values, its output a graph output."""
    if rng.random() < 0.3:
        node = make_op_node(rng, g, rng.choice(CONTRIB_OPS), "com.microsoft")
    else:
        node = make_op_node(rng, g, rng.choice(ONNX_OPS))
    g.node.append(node)
    out = g.output.add()
    out.name = node.output[0]
    out.type.tensor_type.elem_type = 0  # any type, any shape


def contrib_feeds(rng, g):
    feeds = consumers_of_contrib(g)
    cands = [i for i in g.input if i.name in feeds] or list(g.input)
    for _ in range(rng.randrange(1, 3)):
        if cands:
            mutate_dims(rng, rng.choice(cands))
    inits = [t for t in g.initializer if t.name in feeds]
    if inits and rng.random() < 0.5:
        t = rng.choice(inits)
        if rng.random() < 0.5:
            t.CopyFrom(random_tensor(rng, t.name))
        else:  # another rank, same data type
            shape = rng.choice([[], [4], [2, 2], [1, 2, 2], [1, 1, 2, 2], [2, 1, 1, 1, 2]])
            count = 1
            for d in shape:
                count *= d
            if t.data_type == TensorProto.FLOAT:
                t.CopyFrom(helper.make_tensor(t.name, TensorProto.FLOAT, shape, [0.5] * count))


def reorder(rng, g):
    nodes = g.node
    if len(nodes) > 1:
        i, j = rng.randrange(len(nodes)), rng.randrange(len(nodes))
        a, b = onnx.NodeProto(), onnx.NodeProto()
        a.CopyFrom(nodes[i])
        b.CopyFrom(nodes[j])
        nodes[i].CopyFrom(b)
        nodes[j].CopyFrom(a)


def graph_oddity(rng, g):
    k = rng.randrange(6)
    if k == 0 and len(g.input):
        del g.input[rng.randrange(len(g.input))]
    elif k == 1 and len(g.input):
        g.input.add().CopyFrom(rng.choice(g.input))  # a duplicate input name
    elif k == 2:
        g.initializer.add().CopyFrom(random_tensor(rng, rng.choice(all_value_names(g))))
    elif k == 3:
        g.input.add().CopyFrom(helper.make_tensor_value_info(
            rng.choice(all_value_names(g)), rng.choice(DATA_TYPES), [2, "batch"]))
    elif k == 4 and len(g.output):
        del g.output[rng.randrange(len(g.output))]
    else:
        vi = g.input.add()
        vi.name = "fz_seq"
        vi.type.sequence_type.elem_type.tensor_type.elem_type = 1
        if len(g.node) and len(g.node[0].input):
            g.node[0].input[0] = "fz_seq"


def names(rng, node):
    k = rng.randrange(4)
    if k == 0:
        node.domain = rng.choice(["ai.onnx", "com.microsoft", "ai.onnx.ml", "x"])
    elif k == 1:
        node.name = rng.choice(["", "\n", "a\nb", "'", "x" * 300, "\x01\x7f"])
    elif k == 2:
        node.op_type = rng.choice(["", "Loop", "If", "Scan", "\xff", "Relu\n"])
    else:
        for i in range(len(node.output)):
            node.output[i] = rng.choice(["", "\n", node.output[i]])


def dtype_attrs(rng, node):
    for a in node.attribute:
        if a.type == AttributeProto.INT and a.name in ("to", "output_dtype"):
            a.i = rng.choice(DATA_TYPES + [-1, 1000])
    if node.op_type in ("Cast", "QuantizeLinear") and rng.random() < 0.5:
        name = "to" if node.op_type == "Cast" else "output_dtype"
        node.attribute.append(helper.make_attribute(name, rng.choice(DATA_TYPES)))


SHAPE_BINARY = ["Add", "Sub", "Mul", "Div", "Max", "Min", "Equal", "Concat", "Where"]
SHAPE_UNARY = ["Neg", "Not", "Cast", "Identity", "Unsqueeze", "Squeeze", "ReduceProd",
               "Gather", "Slice", "Expand", "Reshape", "Flatten", "ConstantOfShape", "Size"]
SHAPE_USERS = ["Reshape", "Expand", "ConstantOfShape", "Tile", "Slice", "Range", "Squeeze",
               "Unsqueeze", "Pad", "TopK", "Split", "ReduceSum", "ReduceMean", "CumSum",
               "Trilu", "Gather"]


def shape_chain(rng, model):
    """Shape arithmetic as exporters write it, with odd constants, feeding an
    op that reads a shape-like input (the shape evaluator and the folders)."""
    g = model.graph
    ranked = [i for i in g.input if i.type.HasField("tensor_type")
              and i.type.tensor_type.HasField("shape")]
    if not ranked:
        return
    for op in model.opset_import:  # Trilu and friends need a recent opset
        if op.domain in ("", "ai.onnx") and op.version < 14:
            op.version = rng.choice([14, 17, 18, 21])
    x = rng.choice(ranked).name
    tag = "fz_s%d_" % rng.randrange(1 << 30)
    count = [0]

    def fresh():
        count[0] += 1
        return "%s%d" % (tag, count[0])

    def const(values=None, scalar=False, dtype=TensorProto.INT64):
        name = fresh()
        if values is None:
            values = [rng.choice([-(1 << 63), -2, -1, 0, 1, 2, 3, 4, (1 << 63) - 1])
                      for _ in range(rng.choice([0, 1, 1, 2, 3]))]
            scalar = scalar or (len(values) == 1 and rng.random() < 0.3)
        dims = [] if scalar else [len(values)]
        g.node.append(helper.make_node("Constant", [], [name], value=helper.make_tensor(
            name + "_v", dtype, dims, values[:1] if scalar else values)))
        return name

    nodes = []
    cur = fresh()
    attrs = {}
    if rng.random() < 0.4:
        attrs["start"] = rng.choice([-10, -2, -1, 0, 1, 5])
    if rng.random() < 0.3:
        attrs["end"] = rng.choice([-10, -1, 0, 1, 2, 9])
    nodes.append(helper.make_node("Shape", [x], [cur], **attrs))
    g.node.extend(nodes)
    for _ in range(rng.randrange(1, 4)):
        out = fresh()
        if rng.random() < 0.5:
            op = rng.choice(SHAPE_BINARY)
            if op == "Where":
                cond = fresh()
                g.node.append(helper.make_node("Equal", [cur, const()], [cond]))
                g.node.append(helper.make_node("Where", [cond, const(), cur], [out]))
            elif op == "Concat":
                g.node.append(helper.make_node("Concat", [cur, const()], [out], axis=0))
            else:
                ins = [cur, const()] if rng.random() < 0.7 else [const(), cur]
                g.node.append(helper.make_node(op, ins, [out]))
        else:
            op = rng.choice(SHAPE_UNARY)
            if op == "Gather":
                g.node.append(helper.make_node("Gather", [cur, const(
                    [rng.choice([-4, -1, 0, 1, 2, 7])], scalar=rng.random() < 0.5)], [out]))
            elif op == "Slice":
                ins = [cur, const([rng.choice([-9, -1, 0, 1])]),
                       const([rng.choice([-1, 0, 1, 2, 1 << 62])])]
                if rng.random() < 0.4:
                    ins += [const([0]), const([rng.choice([1, 1, -1, 2, 0])])]
                g.node.append(helper.make_node("Slice", ins, [out]))
            elif op in ("Unsqueeze", "Squeeze"):
                g.node.append(helper.make_node(op, [cur, const([rng.choice([0, -1, 1])])],
                                               [out]))
            elif op == "Cast":
                g.node.append(helper.make_node("Cast", [cur], [out], to=rng.choice(
                    [TensorProto.INT64, TensorProto.INT32, TensorProto.FLOAT,
                     TensorProto.BOOL, TensorProto.DOUBLE])))
            elif op in ("Expand", "Reshape"):
                g.node.append(helper.make_node(op, [cur, const([rng.choice([-1, 1, 2, 0])])],
                                               [out]))
            elif op == "ReduceProd":
                g.node.append(helper.make_node(op, [cur], [out], keepdims=rng.choice([0, 1])))
            elif op == "ConstantOfShape":
                g.node.append(helper.make_node(op, [cur], [out], value=helper.make_tensor(
                    "v", TensorProto.INT64, [1], [rng.choice([0, 1, -1])])))
            else:
                g.node.append(helper.make_node(op, [cur], [out]))
        cur = out
    user = rng.choice(SHAPE_USERS)
    y = fresh()
    scalar = lambda: const(scalar=True, values=[rng.choice([0, 1, 2, -1, 5])])
    if user in ("Reshape", "Expand", "Tile", "Pad", "Squeeze", "Unsqueeze", "ReduceSum",
                "ReduceMean", "Split", "TopK", "CumSum", "Trilu", "Gather"):
        g.node.append(helper.make_node(user, [x, cur], [y]))
    elif user == "ConstantOfShape":
        g.node.append(helper.make_node(user, [cur], [y]))
    elif user == "Slice":
        g.node.append(helper.make_node(user, [x, cur, const()], [y]))
    else:  # Range over a dim
        d = fresh()
        g.node.append(helper.make_node("Gather", [cur, const([0], scalar=True)], [d]))
        g.node.append(helper.make_node(user, [scalar(), d, scalar()], [y]))
    out = g.output.add()
    out.name = y
    out.type.tensor_type.elem_type = 0


CONTRIB_ATTRS = {
    "Attention": ["num_heads", "unidirectional", "qkv_hidden_sizes", "scale",
                  "mask_filter_value"],
    "QAttention": ["num_heads", "unidirectional", "scale"],
    "MultiHeadAttention": ["num_heads", "scale", "unidirectional", "mask_filter_value"],
    "GroupQueryAttention": ["num_heads", "kv_num_heads", "scale", "do_rotary",
                            "rotary_interleaved", "local_window_size"],
    "SkipLayerNormalization": ["epsilon"], "SkipSimplifiedLayerNormalization": ["epsilon"],
    "SimplifiedLayerNormalization": ["axis", "epsilon", "stash_type"],
    "EmbedLayerNormalization": ["epsilon", "mask_index_type"],
    "FusedMatMul": ["alpha", "transA", "transB", "transBatchA", "transBatchB"],
    "RotaryEmbedding": ["interleaved", "num_heads", "rotary_embedding_dim", "scale",
                        "is_packed_batching"],
}


def fresh_node(rng, model):
    """A node (contrib op more often than not) on new graph inputs of random
    rank, dims and element type, with plausible attributes at odd values."""
    g = model.graph
    contrib = rng.random() < 0.6
    op = rng.choice(CONTRIB_OPS if contrib else ONNX_OPS)
    tag = "fz_n%d_" % rng.randrange(1 << 30)
    inputs = []
    for i in range(rng.choice([1, 2, 3, 3, 4, 5, 6, 8, 9])):
        if rng.random() < 0.15:
            inputs.append("")
            continue
        dims = [rng.choice([1, 2, 3, 4, 8, 16, "batch", "seq", 0])
                for _ in range(rng.choice([0, 1, 1, 2, 3, 3, 3, 4, 4, 5]))]
        dtype = rng.choice([TensorProto.FLOAT] * 6 + [TensorProto.INT64, TensorProto.INT32,
                                                      TensorProto.UINT8, TensorProto.INT8,
                                                      TensorProto.FLOAT16, TensorProto.BOOL])
        g.input.append(helper.make_tensor_value_info(tag + str(i), dtype, dims))
        inputs.append(tag + str(i))
    outputs = [tag + "out%d" % i for i in range(rng.choice([1, 1, 1, 2, 3, 4]))]
    node = helper.make_node(op, inputs, outputs, name=tag + op,
                            domain="com.microsoft" if contrib else "")
    names = CONTRIB_ATTRS.get(op, ATTR_NAMES)
    for name in rng.sample(names, min(len(names), rng.randrange(0, 4))):
        if name in ("scale", "epsilon", "alpha", "mask_filter_value") and rng.random() < 0.7:
            node.attribute.append(helper.make_attribute(name, rng.choice(EXTREME_FLOATS)))
        elif name == "qkv_hidden_sizes":
            node.attribute.append(helper.make_attribute(name, [
                rng.choice([-4, 0, 2, 4, 8]) for _ in range(rng.choice([2, 3, 3]))]))
        elif rng.random() < 0.8:
            node.attribute.append(helper.make_attribute(name, rng.choice(
                [0, 1, 2, 3, 4, -1, 8, 1 << 40])))
        else:
            node.attribute.append(random_attribute(rng, name))
    g.node.append(node)
    for o in outputs:
        out = g.output.add()
        out.name = o
        out.type.tensor_type.elem_type = 0
    if contrib and not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.add().CopyFrom(helper.make_opsetid("com.microsoft", 1))


def contrib_template(rng, op, B, S, N, h):
    """Inputs (name suffix, element type, dims or None for absent) and
    attributes of a well-formed `op` node, for contrib_node to perturb."""
    F, I32, I64, U8 = TensorProto.FLOAT, TensorProto.INT32, TensorProto.INT64, TensorProto.UINT8
    H, P, L = N * h, rng.choice([0, 2, "past"]), rng.choice([S, 5])
    mask = rng.choice([None, (I32, [B]), (I32, [2 * B] if isinstance(B, int) else [4]),
                       (I32, [B, S]), (I32, [B, S, S]), (I32, [B, 1, S, S])])
    if op == "Attention":
        past = rng.choice([None, (F, [2, B, N, P, h])])
        return [(F, [B, S, H]), (F, [H, 3 * H]), (F, [3 * H]), mask, past], {"num_heads": N}
    if op == "QAttention":
        return [(U8, [B, S, H]), (U8, [H, 3 * H]), (F, [3 * H]), (F, [1]), (F, [1]), mask,
                rng.choice([None, (U8, [1])]), rng.choice([None, (U8, [1])])], {"num_heads": N}
    if op == "MultiHeadAttention":
        kv = rng.choice([[B, L, H], [B, N, L, h]])
        return [(F, [B, S, H]), (F, kv), (F, kv), rng.choice([None, (F, [3 * H])]),
                rng.choice([None, (I32, [B, L]), (I32, [B])]),
                rng.choice([None, (F, [B, N, S, L])]), rng.choice([None, (F, [B, N, P, h])]),
                rng.choice([None, (F, [B, N, P, h])])], {"num_heads": N}
    if op == "GroupQueryAttention":
        kvN = rng.choice([1, N, 2])
        return [(F, [B, S, H]), (F, [B, S, kvN * h]), (F, [B, S, kvN * h]),
                rng.choice([None, (F, [B, kvN, P, h])]), rng.choice([None, (F, [B, kvN, P, h])]),
                (I32, [B]), (I32, []), (F, [64, h // 2]), (F, [64, h // 2])], {
                    "num_heads": N, "kv_num_heads": kvN, "do_rotary": rng.choice([0, 1])}
    if op in ("SkipLayerNormalization", "SkipSimplifiedLayerNormalization"):
        return [(F, [B, S, H]), (F, [B, S, H]), (F, [H]), rng.choice([None, (F, [H])]),
                rng.choice([None, (F, [H])])], {}
    if op == "SimplifiedLayerNormalization":
        return [(F, [B, S, H]), (F, [H])], {}
    if op == "EmbedLayerNormalization":
        return [(I32, [B, S]), rng.choice([None, (I32, [B, S])]), (F, [50, H]), (F, [16, H]),
                rng.choice([None, (F, [2, H])]), (F, [H]), (F, [H]),
                rng.choice([None, (I32, [B, S])]), rng.choice([None, (I32, [B, S]), (I64, [S])])], {}
    if op == "RotaryEmbedding":
        x = rng.choice([[B, S, H], [B, N, S, h]])
        return [(F, x), rng.choice([(I64, [B, S]), (I64, [1])]), (F, [64, h // 2]),
                (F, [64, h // 2])], {"num_heads": N}
    if op == "FusedMatMul":
        return [(F, [B, S, H]), (F, [H, rng.choice([4, H])])], {
            "transA": rng.choice([0, 1]), "transB": rng.choice([0, 1]), "alpha": 0.5}
    return [(F, [B, S, H])] + [rng.choice([None, (F, [H])])], {}


def contrib_node(rng, model):
    """A contrib op on new graph inputs shaped as ORT expects, then one or two
    inputs or attributes knocked out of shape (rank, a dim, the type)."""
    g = model.graph
    op = rng.choice(CONTRIB_OPS)
    B, S = rng.choice([1, 2, "batch"]), rng.choice([1, 3, "seq"])
    N, h = rng.choice([1, 2, 4]), rng.choice([2, 4, 8])
    inputs, attrs = contrib_template(rng, op, B, S, N, h)
    for _ in range(rng.choice([0, 1, 1, 2])):
        i = rng.randrange(len(inputs))
        if inputs[i] is None:
            inputs[i] = (TensorProto.FLOAT, [B, S, N * h])
            continue
        dtype, dims = inputs[i]
        dims = list(dims)
        k = rng.randrange(5)
        if k == 0 and dims:
            del dims[rng.randrange(len(dims))]
        elif k == 1:
            dims.insert(rng.randrange(len(dims) + 1), rng.choice([1, 2, 3]))
        elif k == 2 and dims:
            dims[rng.randrange(len(dims))] = rng.choice([0, 1, 3, 5, 7, "other"])
        elif k == 3:
            dtype = rng.choice([TensorProto.FLOAT16, TensorProto.INT64, TensorProto.INT32,
                                TensorProto.DOUBLE, TensorProto.BOOL, TensorProto.UINT8])
        else:
            inputs[i] = None
            continue
        inputs[i] = (dtype, dims)
    if rng.random() < 0.4 and attrs:
        name = rng.choice(list(attrs))
        attrs[name] = rng.choice([0, -1, 3, 5, 1 << 40])
    tag = "fz_c%d_" % rng.randrange(1 << 30)
    names = []
    for i, spec in enumerate(inputs):
        if spec is None:
            names.append("")
            continue
        g.input.append(helper.make_tensor_value_info(tag + str(i), spec[0], spec[1]))
        names.append(tag + str(i))
    while names and not names[-1]:
        names.pop()
    outputs = [tag + "out%d" % i for i in range(rng.choice([1, 1, 2, 3]))]
    node = helper.make_node(op, names, outputs, name=tag + op, domain="com.microsoft", **attrs)
    g.node.append(node)
    for o in outputs:
        out = g.output.add()
        out.name = o
        out.type.tensor_type.elem_type = 0
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.add().CopyFrom(helper.make_opsetid("com.microsoft", 1))


def mutate_model(rng, model):
    """One random structured mutation, weighted towards ones that keep the
    graph importable up to the node they change."""
    g = model.graph
    node = rng.choice(g.node) if len(g.node) else None
    with_node = [(6, node_op_type), (5, lambda r, n: node_inputs(r, g, n)),
                 (3, lambda r, n: node_outputs(r, g, n)), (12, node_attribute),
                 (2, lambda r, n: graph_edges(r, g, n)), (1, names), (2, dtype_attrs)]
    ints = int_tensors(model)
    anywhere = [(4, lambda r: initializer_data(r, g)),
                (8, lambda r: ints and set_int_values(r, r.choice(ints))),
                (8, lambda r: len(g.input) and mutate_dims(r, r.choice(g.input))),
                (2, lambda r: len(g.output) and mutate_dims(r, r.choice(g.output))),
                (3, lambda r: opsets(r, model)), (4, lambda r: odd_constant(r, g)),
                (5, lambda r: new_node(r, g)), (4, lambda r: contrib_feeds(r, g)),
                (8, lambda r: shape_chain(r, model)), (4, lambda r: fresh_node(r, model)),
                (6, lambda r: contrib_node(r, model)),
                (1, lambda r: reorder(r, g)), (1, lambda r: len(g.node) and
                                              g.node.remove(r.choice(g.node))),
                (1, lambda r: graph_oddity(r, g))]
    choices = [(w, lambda r, f=f: f(r, node)) for w, f in with_node] if node is not None else []
    choices += anywhere
    _, fn = rng.choices(choices, [w for w, _ in choices])[0]
    fn(rng)


# ---------------------------------------------------------------------------
# Running tfmc
# ---------------------------------------------------------------------------

OK_KINDS = ("pass", "reject")


def run_tfmc(tfmc, path, timeout):
    """(kind, signature, stderr); kind is "pass" or "reject" (exit code 0 or
    1 as the contract says) or names the violation."""
    try:
        p = subprocess.run([tfmc, "import", path, "-o", "/dev/null"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return "hang", "timeout", (e.stderr or b"").decode(errors="replace")
    err = p.stderr.decode(errors="replace")
    lines = err.splitlines()
    if p.returncode < 0 or p.returncode not in (0, 1):
        return "crash", crash_signature(err, p.returncode), err
    if p.returncode == 0 and err:
        return "noisy", "stderr-on-success:" + normalize(lines[0] if lines else err), err
    if p.returncode == 1:
        if len(lines) != 1 or not err.endswith("\n"):
            return "multiline", "lines:" + normalize(lines[0] if lines else ""), err
        if not lines[0].startswith(path + ": "):
            return "badprefix", "prefix:" + normalize(lines[0]), err
        return "reject", normalize(lines[0]), err
    return "pass", "", err


# Frames of the signal handler, libc and the C++ runtime say nothing.
SKIP_FRAMES = (r"llvm::sys::|SignalHandler|__restore_rt|__pthread_kill|^raise$|^abort$|"
               r"__assert_fail|__cxa_|std::__throw|std::terminate|__gnu_cxx::")


def crash_signature(err, rc):
    """The innermost tfmc/mlir frames of LLVM's stack dump, or the rc."""
    frames = re.findall(r"^\s*#\d+ 0x[0-9a-f]+ (.*)$", err, flags=re.M)
    names = []
    for f in frames:
        f = f.replace("(anonymous namespace)", "anon")
        f = re.sub(r"\(/[^)]*\)|\s+\S+:\d+:\d+$|0x[0-9a-f]+", "", f).strip()
        if not f or f.startswith("(") or re.search(SKIP_FRAMES, f):
            continue
        names.append(re.sub(r"\(.*", "", f))
        if len(names) == 3:
            break
    assertion = re.search(r"Assertion `([^']*)' failed", err)
    parts = ["rc%d" % rc]
    if assertion:
        parts.append(assertion.group(1)[:60])
    parts += names
    return "|".join(parts)


def normalize(line):
    line = re.sub(r"^\S*?: ", "", line)
    line = re.sub(r"'[^']*'", "'_'", line)
    return re.sub(r"-?\d+", "N", line)[:120]


def short_hash(text):
    return hashlib.sha1(text.encode()).hexdigest()[:10]


# ---------------------------------------------------------------------------
# Minimization
# ---------------------------------------------------------------------------

def minimize(tfmc, path, timeout):
    with open(path, "rb") as f:
        data = f.read()
    text = path.endswith(".onnxtxt")
    suffix = ".onnxtxt" if text else ".onnx"
    tmp = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)
    tmp.close()

    def signature(blob):
        with open(tmp.name, "wb") as f:
            f.write(blob)
        kind, sig, _ = run_tfmc(tfmc, tmp.name, timeout)
        return None if kind in OK_KINDS else (kind, sig)

    target = signature(data)
    if not target:
        sys.exit("%s: no failure to minimize" % path)
    print("signature:", target, flush=True)
    model = None
    if onnx is not None and not text:
        try:
            model = onnx.load_from_string(data)
        except Exception:  # a byte-level finding
            pass
    if model is not None:
        data = minimize_model(model, signature, target)
    else:
        data = minimize_chunks(data, signature, target)
    out = re.sub(r"(\.onnx(txt)?)$", r".min\1", path)
    with open(out, "wb") as f:
        f.write(data)
    os.unlink(tmp.name)
    print("wrote", out, "(%d bytes)" % len(data))
    if model is not None:
        print(onnx.printer.to_text(onnx.load_from_string(data)))


def ddmin(items, keeps):
    """Removes runs of `items` (halving the run length) while `keeps` holds
    for what is left; returns what is left."""
    items = list(items)
    run = max(1, len(items) // 2)
    while run >= 1:
        i = 0
        while i < len(items):
            trial = items[:i] + items[i + run:]
            if keeps(trial):
                items = trial
            else:
                i += run
        run //= 2
    return items


def minimize_model(model, signature, target):
    """Drops nodes, initializers, graph inputs and outputs, attributes and
    opsets while the failure keeps its signature."""

    def rebuild(base, field, kept, node_index=None):
        trial = onnx.ModelProto()
        trial.CopyFrom(base)
        g = trial.graph
        if field == "opset_import":
            target_list = trial.opset_import
        elif field == "attribute":
            target_list = g.node[node_index].attribute
        else:
            target_list = getattr(g, field)
        items = [type(x)() for x in kept]
        for new, old in zip(items, kept):
            new.CopyFrom(old)
        del target_list[:]
        target_list.extend(items)
        return trial

    def shrink(field, node_index=None):
        nonlocal model
        if field == "opset_import":
            current = list(model.opset_import)
        elif field == "attribute":
            current = list(model.graph.node[node_index].attribute)
        else:
            current = list(getattr(model.graph, field))

        def keeps(kept):
            trial = rebuild(model, field, kept, node_index)
            if signature(trial.SerializeToString()) == target:
                return True
            return False

        kept = ddmin(current, keeps)
        model = rebuild(model, field, kept, node_index)

    for _ in range(2):
        for field in ("node", "initializer", "input", "output", "value_info"):
            shrink(field)
        for i in range(len(model.graph.node)):
            shrink("attribute", i)
        shrink("opset_import")
    model.ClearField("metadata_props")
    model.doc_string = model.graph.doc_string = ""
    blob = model.SerializeToString()
    return blob if signature(blob) == target else model.SerializeToString()


def minimize_chunks(data, signature, target):
    return bytes(ddmin(data, lambda kept: signature(bytes(kept)) == target))


# ---------------------------------------------------------------------------
# Campaign
# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tfmc", default=os.path.join(REPO, "build", "bin", "tfmc"))
    ap.add_argument("--seconds", type=float, default=180, help="campaign length")
    ap.add_argument("--runs", type=int, default=0, help="stop after this many runs (0: none)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    ap.add_argument("--mode", choices=["both", "bytes", "struct", "text"], default="both",
                    help="structured and byte-level mutations, or one kind; text: "
                         "token edits of the .onnxtxt seeds (ONNX's text parser)")
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "tfmc-fuzz"))
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--seed-glob", action="append", default=[], help="more seed files")
    ap.add_argument("--max-seed-size", type=int, default=2 << 20)
    ap.add_argument("--good-ratio", type=float, default=0.8,
                    help="share of mutants made from seeds that import")
    ap.add_argument("--good-seeds", metavar="FILE",
                    help="cache of the seeds that import (read if it exists, else "
                         "written); saves the start-up run of a slow sanitizer build")
    ap.add_argument("--minimize", metavar="FILE", help="shrink FILE keeping its failure")
    ap.add_argument("--verbose", type=int, default=0, metavar="N",
                    help="print the N most common error messages at the end")
    args = ap.parse_args()

    if args.minimize:
        minimize(args.tfmc, args.minimize, args.timeout)
        return 0
    if not os.access(args.tfmc, os.X_OK):
        sys.exit("%s: not an executable (pass --tfmc)" % args.tfmc)
    mode = args.mode
    if onnx is None and mode in ("both", "struct"):
        print("note: no `onnx` package; byte-level mutations only", file=sys.stderr)
        mode = "bytes"
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    seeds = load_seeds(args.seed_glob, args.max_seed_size)
    if mode == "text":
        seeds = [s for s in seeds if s.text]
    if not seeds:
        sys.exit("no seed models found")
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="tfmc-fuzz-")
    # A private copy: rebuilding tfmc during a campaign must not disturb it.
    tfmc = os.path.join(work, "tfmc")
    shutil.copy2(args.tfmc, tfmc)
    print("seed %d, %d seed models, %d onnx ops, %d contrib ops, out %s" %
          (seed, len(seeds), len(ONNX_OPS), len(CONTRIB_OPS), args.out), flush=True)

    # Mutants of models that import are the ones that reach shape inference;
    # most node tests use operators tfmc lacks and stop at the first node.
    good = []
    if args.good_seeds and os.path.exists(args.good_seeds):
        with open(args.good_seeds) as f:
            names = set(f.read().splitlines())
        good = [s for s in seeds if s.name in names]
    for s in seeds if not good else []:
        path = os.path.join(work, "seed" + (".onnxtxt" if s.text else ".onnx"))
        with open(path, "wb") as f:
            f.write(s.data.encode() if s.text else s.data)
        try:
            rc = subprocess.run([tfmc, "import", path, "-o", "/dev/null"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                timeout=args.timeout).returncode
        except subprocess.TimeoutExpired:
            rc = None
        if rc == 0:
            good.append(s)
    if args.good_seeds and not os.path.exists(args.good_seeds):
        with open(args.good_seeds, "w") as f:
            f.write("".join(s.name + "\n" for s in good))
    print("%d of the seeds import" % len(good), flush=True)

    seen, rejects, runs, exits, start = {}, {}, 0, {}, time.time()
    while time.time() - start < args.seconds and (not args.runs or runs < args.runs):
        s = rng.choice(good if good and rng.random() < args.good_ratio else seeds)
        structured = mode == "struct" or (mode == "both" and rng.random() < 0.75)
        blob, suffix = None, ".onnxtxt" if s.text else ".onnx"
        if structured:
            model = s.model()
            if model is None:
                continue
            m = onnx.ModelProto()
            m.CopyFrom(model)
            for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
                try:
                    mutate_model(rng, m)
                except (ValueError, TypeError, IndexError):
                    pass
            try:
                blob, suffix = m.SerializeToString(), ".onnx"
            except Exception:
                continue
        elif s.text:
            blob = mutate_text(rng, s.data).encode()
        else:
            blob = mutate_bytes(rng, s.data)
        path = os.path.join(work, "mutant" + suffix)
        with open(path, "wb") as f:
            f.write(blob)
        kind, sig, err = run_tfmc(tfmc, path, args.timeout)
        runs += 1
        exits[kind] = exits.get(kind, 0) + 1
        if kind == "reject":
            rejects[sig] = rejects.get(sig, 0) + 1
        elif kind != "pass":
            if sig not in seen:
                name = "%s-%s" % (kind, short_hash(sig))
                seen[sig] = name
                with open(os.path.join(args.out, name + suffix), "wb") as f:
                    f.write(blob)
                with open(os.path.join(args.out, name + ".txt"), "w") as f:
                    f.write("seed model: %s\nsignature: %s\n\n%s" % (s.name, sig, err))
                print("[%d] %s %s (from %s)" % (runs, name, sig, os.path.basename(s.name)),
                      flush=True)
    elapsed = time.time() - start
    print("%d runs in %.0f s (%.1f/s); %s; %d distinct findings" %
          (runs, elapsed, runs / max(elapsed, 1e-9),
           ", ".join("%s %d" % kv for kv in sorted(exits.items())), len(seen)))
    if args.verbose:
        print("most common errors:")
        for sig, count in sorted(rejects.items(), key=lambda kv: -kv[1])[:args.verbose]:
            print("%7d  %s" % (count, sig))
    for f in glob.glob(os.path.join(work, "*")):
        os.unlink(f)
    os.rmdir(work)
    return 1 if seen else 0


if __name__ == "__main__":
    sys.exit(main())

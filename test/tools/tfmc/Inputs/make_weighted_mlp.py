"""Writes <dir>/mlp.onnx, a two-layer MLP whose weights are initializers
(64x64 and 64x32 float32: 16 KiB and 8 KiB; the biases are under 1 KiB),
and <dir>/data/{x,expected_y}.npy with ONNX Runtime's output.
Usage: make_weighted_mlp.py <dir>"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(2026)
w1 = rng.standard_normal((64, 64)).astype(np.float32) * 0.2
b1 = rng.standard_normal(64).astype(np.float32) * 0.1
w2 = rng.standard_normal((64, 32)).astype(np.float32) * 0.2
b2 = rng.standard_normal(32).astype(np.float32) * 0.1
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w1"], ["h0"]),
     helper.make_node("Add", ["h0", "b1"], ["h1"]),
     helper.make_node("Relu", ["h1"], ["h"]),
     helper.make_node("MatMul", ["h", "w2"], ["y0"]),
     helper.make_node("Add", ["y0", "b2"], ["y"])],
    "mlp",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 64])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 32])],
    [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
     numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
onnx.checker.check_model(model)
os.makedirs(os.path.join(out, "data"), exist_ok=True)
onnx.save(model, os.path.join(out, "mlp.onnx"))

# The same input as Inputs/external_weights_app.cpp (test/runtime) builds.
x = (((np.arange(4 * 64) % 13) - 6) * 0.125).astype(np.float32).reshape(4, 64)
session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
(y,) = session.run(None, {"x": x})
np.save(os.path.join(out, "data", "x.npy"), x)
np.save(os.path.join(out, "data", "expected_y.npy"), y)

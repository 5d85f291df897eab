"""Writes <dir>/strings.onnx (opset 19) over inputs x: float32[n] and
s: string[n], with outputs text = Cast(x, string), same = Equal(s, text),
number = Cast(s, float32), and moved = Reshape(s, [n, 1]); and
<dir>/data/{x,s}.npy with the expected outputs beside them,
expected_<output>.npy, as ONNX's reference computes them with NumPy (ONNX
Runtime prints floats its own way: "100" for 100.0, 8 digits always).
Usage: make_string_model.py <dir>"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
graph = helper.make_graph(
    [helper.make_node("Cast", ["x"], ["text"], to=TensorProto.STRING),
     helper.make_node("Equal", ["s", "text"], ["same"]),
     helper.make_node("Cast", ["s"], ["number"], to=TensorProto.FLOAT),
     helper.make_node("Constant", [], ["column"],
                      value=helper.make_tensor("c", TensorProto.INT64, [2], [-1, 1])),
     helper.make_node("Reshape", ["s", "column"], ["moved"])],
    "strings",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"]),
     helper.make_tensor_value_info("s", TensorProto.STRING, ["n"])],
    [helper.make_tensor_value_info("text", TensorProto.STRING, ["n"]),
     helper.make_tensor_value_info("same", TensorProto.BOOL, ["n"]),
     helper.make_tensor_value_info("number", TensorProto.FLOAT, ["n"]),
     helper.make_tensor_value_info("moved", TensorProto.STRING, ["n", 1])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)], ir_version=9)
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "strings.onnx"))

x = np.array([0.5, 100.0, 1e-5, -2.25, 0.1], dtype=np.float32)
s = np.array(["0.5", "100", "1e-05", "+INF", "0.1"], dtype=np.str_)
text = x.astype(np.str_)
expected = {"text": text, "same": s == text, "number": s.astype(np.float32),
            "moved": s.reshape(-1, 1)}
data = os.path.join(out, "data")
os.makedirs(data, exist_ok=True)
np.save(os.path.join(data, "x.npy"), x)
np.save(os.path.join(data, "s.npy"), s)
for name, value in expected.items():
    np.save(os.path.join(data, "expected_" + name + ".npy"), value)

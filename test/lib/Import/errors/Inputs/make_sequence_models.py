"""Writes to <dir> the sequence and optional models the importer refuses:
a sequence of sequences, an optional map, and a graph output declared as
another sequence than the one it computes. Usage: make_sequence_models.py <dir>"""
import os
import sys

import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
tensor = helper.make_tensor_type_proto(TensorProto.FLOAT, [4])
models = {
    "nested": helper.make_sequence_type_proto(helper.make_sequence_type_proto(tensor)),
    "optional_map": helper.make_optional_type_proto(
        helper.make_map_type_proto(TensorProto.INT64, tensor)),
    "mismatch": helper.make_sequence_type_proto(tensor),
}
for name, in_type in models.items():
    out_type = in_type
    if name == "mismatch":
        out_type = helper.make_sequence_type_proto(
            helper.make_tensor_type_proto(TensorProto.FLOAT, [5]))
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], name,
                              [helper.make_value_info("x", in_type)],
                              [helper.make_value_info("y", out_type)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.save(model, os.path.join(out, name + ".onnx"))

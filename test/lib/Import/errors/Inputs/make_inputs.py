#!/usr/bin/env python3
"""Writes the binary ONNX inputs of the importer's error tests.

Run from this folder with the developer environment (`scripts/setup.sh
--python` creates it):
    ../../../../../.venv/bin/python make_inputs.py
The outputs are committed; rerun only to change them.
"""
import struct

import onnx
from onnx import TensorProto, helper


def save(model, path):
    model.ir_version = 8
    onnx.save(model, path)


def external(name, dims, data_type, location, offset, length):
    t = TensorProto()
    t.name = name
    t.data_type = data_type
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", str(offset)),
                       ("length", str(length))):
        entry = t.external_data.add()
        entry.key = key
        entry.value = value
    return t


def opset():
    return [helper.make_opsetid("", 17)]


# Not a protobuf: the first byte (0x74) is an end-group tag with no group.
with open("garbage.onnx", "wb") as f:
    f.write(b"this is not an ONNX model\x00\xff\xfe\x01\x77")

# A graph input with an element type but no shape: its rank is unknown.
graph = helper.make_graph(
    [helper.make_node("Relu", ["x"], ["y"], name="relu")], "no_shape",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(graph, opset_imports=opset()), "no-shape.onnx")

# Weights in a side file: w [2, 2] f32 at offset 0, b [3] i64 at offset 16.
with open("weights.bin", "wb") as f:
    f.write(struct.pack("<4f", 1.0, 2.0, 3.0, 4.0))
    f.write(struct.pack("<3q", 7, 8, 9))


def weights_model(name, w_location, b_offset):
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")], name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 2]),
         helper.make_tensor_value_info("b", TensorProto.INT64, [3])],
        initializer=[external("w", [2, 2], TensorProto.FLOAT, w_location, 0, 16),
                     external("b", [3], TensorProto.INT64, "weights.bin", b_offset, 24)])
    return helper.make_model(graph, opset_imports=opset())


save(weights_model("external_data", "weights.bin", 16), "external-data.onnx")
save(weights_model("missing_external", "missing-weights.bin", 16),
     "missing-external-data.onnx")
save(weights_model("outside_external", "weights.bin", 24), "external-data-outside.onnx")

# A required input left empty: Where's condition, and SkipLayerNormalization's
# skip (ORT's contrib op, in its own domain).
graph = helper.make_graph(
    [helper.make_node("Where", ["", "a", "b"], ["y"], name="where")], "missing_required",
    [helper.make_tensor_value_info(n, TensorProto.FLOAT, [4]) for n in ("a", "b")],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])])
save(helper.make_model(graph, opset_imports=opset()), "missing-required.onnx")

graph = helper.make_graph(
    [helper.make_node("SkipLayerNormalization", ["x", "", "gamma"], ["y"], name="skip_ln",
                      domain="com.microsoft")], "contrib_missing",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 8]),
     helper.make_tensor_value_info("gamma", TensorProto.FLOAT, [8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3, 8])])
save(helper.make_model(graph, opset_imports=opset() + [helper.make_opsetid("com.microsoft", 1)]),
     "contrib-missing.onnx")

# External data entries the loader must reject: an offset std::stoll threw
# on, an offset + length past INT64_MAX, and a directory for a file.
def bad_external(name, location, offset, length):
    graph = helper.make_graph(
        [helper.make_node("Relu", ["w"], ["y"], name="relu")], name, [],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
        initializer=[external("w", [2], TensorProto.FLOAT, location, offset, length)])
    return helper.make_model(graph, opset_imports=opset())


save(bad_external("offset_range", "weights.bin", "99999999999999999999", 8),
     "external-data-offset-range.onnx")
save(bad_external("offset_overflow", "weights.bin", 1 << 62, 1 << 62),
     "external-data-overflow.onnx")
save(bad_external("directory", ".", 0, 8), "external-data-directory.onnx")

# Line breaks and other control characters in names (only binary can hold
# them): the message must stay one line.
graph = helper.make_graph(
    [helper.make_node("Foo\n", ["x"], ["y"], name="a\nb\x01")], "control_names",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])])
save(helper.make_model(graph, opset_imports=opset()), "control-names.onnx")


# Initializer dims: negative, and a product that wraps around to 0 so that
# no data "matches".
def dims_model(name, dims):
    w = TensorProto()
    w.name = "w"
    w.data_type = TensorProto.FLOAT
    w.dims.extend(dims)
    w.raw_data = b""
    graph = helper.make_graph(
        [helper.make_node("Relu", ["w"], ["y"], name="relu")], name, [],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializer=[w])
    return helper.make_model(graph, opset_imports=opset())


save(dims_model("negative_dims", [-5, 0]), "initializer-negative-dim.onnx")
save(dims_model("wrapping_dims", [1 << 40, 1 << 40]), "initializer-wrapping-dims.onnx")

"""Rewrites a model's float initializers of more than 1 KiB (its weights) to
one constant, so that a weights file (--external-weights) compresses to a
few hundred KB: a full-size model's build then travels to a GPU machine,
for its latency, which does not depend on the weights' values.
Usage: constant_weights.py IN.onnx OUT.onnx"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper

model = onnx.load(sys.argv[1])
for i, init in enumerate(model.graph.initializer):
    array = numpy_helper.to_array(init)
    if array.dtype == np.float32 and array.nbytes > 1024:
        model.graph.initializer[i].CopyFrom(
            numpy_helper.from_array(np.full(array.shape, 0.02, np.float32), init.name))
onnx.save(model, sys.argv[2])

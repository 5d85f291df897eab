#!/usr/bin/env python3
"""Writes the node test data of PyPI's onnx package (its wheel ships the test
cases as code, not data) in the backend layout: <out>/node/<test>/model.onnx
and test_data_set_*/{input,output}_N.pb. Only tensor inputs and outputs are
written; tests with sequence, map or optional values are skipped (tfmc has
no such values) and counted.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper
from onnx.backend.test.case import node


def is_tensor(value_info):
    return value_info.type.HasField("tensor_type")


def as_proto(value, name):
    if isinstance(value, onnx.TensorProto):
        return value
    return numpy_helper.from_array(np.asarray(value), name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    written = skipped = 0
    for case in node.collect_testcases():
        graph = case.model.graph
        if not all(is_tensor(v) for v in list(graph.input) + list(graph.output)):
            skipped += 1
            continue
        test_dir = os.path.join(args.output, "node", case.name)
        os.makedirs(test_dir, exist_ok=True)
        with open(os.path.join(test_dir, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        for i, (inputs, outputs) in enumerate(case.data_sets):
            data_dir = os.path.join(test_dir, f"test_data_set_{i}")
            os.makedirs(data_dir, exist_ok=True)
            for kind, values, infos in (("input", inputs, graph.input),
                                        ("output", outputs, graph.output)):
                for j, value in enumerate(values):
                    with open(os.path.join(data_dir, f"{kind}_{j}.pb"), "wb") as f:
                        f.write(as_proto(value, infos[j].name).SerializeToString())
        written += 1
    print(f"onnx {onnx.__version__}: wrote {written} node tests, skipped {skipped} "
          "with non-tensor values")


if __name__ == "__main__":
    sys.exit(main())

"""Writes <path>, an ONNX-text model of matrix products whose sizes are no
multiples of the GPU kernels' 64x64 tiles or K steps: a [batch, 67, 45] x
[45, 83] product (B shared by the batch), a [83, 37] constant weight after
it, and a batched [batch, 67, 45] x [batch, 45, 67] product.
Usage: make_odd_matmul.py <path>"""
import math
import sys

weights = ", ".join(f"{math.cos(0.61 * i) * 0.3:.4f}" for i in range(83 * 37))
text = f"""<ir_version: 8, opset_import: ["" : 17]>
odd_matmul (float[batch, 67, 45] a, float[45, 83] b) => (float[batch, 67, 37] d, float[batch, 67, 67] e)
  <float[83, 37] w = {{{weights}}}>
{{
  c = MatMul (a, b)
  d = MatMul (c, w)
  at = Transpose <perm: ints = [0, 2, 1]> (a)
  e = MatMul (a, at)
}}
"""
with open(sys.argv[1], "w") as f:
    f.write(text)

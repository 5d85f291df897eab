//===- TensorImport.h - ONNX element types and tensors ----------*- C++ -*-===//

#ifndef TFMC_LIB_IMPORT_TENSORIMPORT_H
#define TFMC_LIB_IMPORT_TENSORIMPORT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "onnx/onnx_pb.h"

#include <string>

namespace tfmc {

/// The MLIR element type of an ONNX TensorProto::DataType, or null.
mlir::Type convertElementType(mlir::MLIRContext &ctx, int dataType);
/// ONNX's name of a data type (FLOAT, INT64, ...).
std::string dataTypeName(int dataType);

/// The contents of `tensor` as a `dense` attribute, or as a
/// `dense_resource` blob when it has more than `inlineLimit` elements.
/// Returns null with a reason in `error`.
mlir::ElementsAttr convertTensor(mlir::MLIRContext &ctx, const onnx::TensorProto &tensor,
                                 int64_t inlineLimit, std::string &error);

} // namespace tfmc

#endif // TFMC_LIB_IMPORT_TENSORIMPORT_H

//===- ModelLoader.h - reading ONNX protobufs -------------------*- C++ -*-===//

#ifndef TFMC_LIB_IMPORT_MODELLOADER_H
#define TFMC_LIB_IMPORT_MODELLOADER_H

#include "onnx/onnx_pb.h"

#include <string>

namespace tfmc {

/// Reads a binary or text-syntax model and inlines its external data into
/// `raw_data`. Returns false with a one-line reason in `error`.
bool loadOnnxModel(const std::string &path, onnx::ModelProto &model, std::string &error);

} // namespace tfmc

#endif // TFMC_LIB_IMPORT_MODELLOADER_H

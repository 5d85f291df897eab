//===- ModelLoader.cpp - reading ONNX protobufs ---------------------------===//
//
// The only translation unit that includes ONNX's parser, which needs C++
// exceptions; the library is built with them on.
//
//===----------------------------------------------------------------------===//

#include "ModelLoader.h"

#include "onnx/defs/parser.h"

#include <google/protobuf/io/coded_stream.h>

#include <charconv>
#include <climits>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

using namespace tfmc;

static bool readFile(const std::string &path, std::string &contents, std::string &error) {
  std::error_code ec;
  // A directory opens as a stream that reads as empty.
  if (std::filesystem::is_directory(path, ec)) {
    error = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open file";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  contents = buffer.str();
  return true;
}

static bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

static std::string directoryOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

/// ONNX's parser reports the error, its context and the expectation on
/// separate lines; errors here are one line each.
static std::string oneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  for (size_t pos = 0; (pos = text.find('\n', pos)) != std::string::npos;)
    text.replace(pos, 1, "; ");
  return text;
}

/// Whether braces (graph bodies, tensor literals) nest deeper than the 100
/// levels protobuf allows a binary model: ONNX's text parser recurses per
/// nested graph and overflows the stack a few thousand levels down.
static bool nestsTooDeep(const std::string &text) {
  int depth = 0;
  bool inString = false, inComment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inComment) {
      inComment = c != '\n';
    } else if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
    } else if (c == '#') {
      inComment = true;
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' && ++depth > 100) {
      return true;
    } else if (c == '}') {
      --depth;
    }
  }
  return false;
}

static bool parseBinary(const std::string &bytes, onnx::ModelProto &model) {
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()), static_cast<int>(bytes.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  return model.ParseFromCodedStream(&stream) && stream.ConsumedEntireMessage();
}

/// A non-negative decimal integer, as external data offsets and lengths are
/// written; std::stoll would throw on anything else.
static std::optional<int64_t> parseSize(const std::string &text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    return std::nullopt;
  return value;
}

/// Replaces external data references by the bytes they point at.
static bool inlineExternalData(onnx::TensorProto &tensor, const std::string &baseDir,
                               std::string &error) {
  std::string location;
  std::optional<int64_t> offset = 0, length;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
      continue;
    }
    if (entry.key() != "offset" && entry.key() != "length")
      continue;
    std::optional<int64_t> value = parseSize(entry.value());
    if (!value) {
      error = "tensor '" + tensor.name() + "': external data " + entry.key() + " '" +
              entry.value() + "' is not a non-negative integer";
      return false;
    }
    (entry.key() == "offset" ? offset : length) = value;
  }
  if (location.empty()) {
    error = "tensor '" + tensor.name() + "': external data has no location";
    return false;
  }
  std::string file = baseDir + "/" + location;
  std::error_code ec;
  // A directory opens as a stream whose size is meaningless.
  if (std::filesystem::is_directory(file, ec)) {
    error = "tensor '" + tensor.name() + "': external data file '" + location +
            "' is a directory";
    return false;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = "tensor '" + tensor.name() + "': external data file '" + location + "' not found";
    return false;
  }
  in.seekg(0, std::ios::end);
  int64_t size = std::max<int64_t>(in.tellg(), 0);
  int64_t begin = *offset, count = length.value_or(std::max<int64_t>(size - begin, 0));
  // Compared without adding: offset + length may overflow.
  if (begin > size || count > size - begin) {
    error = "tensor '" + tensor.name() + "': external data [" + std::to_string(begin) + ", " +
            std::to_string(static_cast<uint64_t>(begin) + static_cast<uint64_t>(count)) +
            ") lies outside '" + location + "' (" + std::to_string(size) + " bytes)";
    return false;
  }
  std::string bytes(count, '\0');
  in.seekg(begin);
  if (!in.read(bytes.data(), count)) {
    error = "tensor '" + tensor.name() + "': cannot read external data file '" + location + "'";
    return false;
  }
  tensor.set_raw_data(std::move(bytes));
  tensor.clear_external_data();
  tensor.set_data_location(onnx::TensorProto::DEFAULT);
  return true;
}

bool tfmc::loadOnnxModel(const std::string &path, onnx::ModelProto &model, std::string &error) {
  bool text = endsWith(path, ".onnxtxt") || endsWith(path, ".txt");
  std::error_code ec;
  // Protobuf's streams take an int size; checked before reading it all.
  if (!text && std::filesystem::file_size(path, ec) > INT_MAX && !ec) {
    error = "larger than the 2 GiB a protobuf can hold (use external data)";
    return false;
  }
  std::string contents;
  if (!readFile(path, contents, error))
    return false;
  if (text) {
    if (nestsTooDeep(contents)) {
      error = "invalid ONNX text syntax: graphs nest more than 100 levels deep";
      return false;
    }
    try {
      onnx::Status status = onnx::OnnxParser::Parse(model, contents.c_str());
      if (!status.IsOK()) {
        error = "invalid ONNX text syntax: " + oneLine(status.ErrorMessage());
        return false;
      }
    } catch (const std::exception &e) {
      error = "invalid ONNX text syntax: " + oneLine(e.what());
      return false;
    }
  } else if (!parseBinary(contents, model)) {
    error = "not a valid ONNX model (protobuf parsing failed)";
    return false;
  }
  if (!model.has_graph() || model.opset_import_size() == 0) {
    error = "not a valid ONNX model (no graph or no opset_import)";
    return false;
  }
  std::string baseDir = directoryOf(path);
  for (onnx::TensorProto &tensor : *model.mutable_graph()->mutable_initializer())
    if (tensor.data_location() == onnx::TensorProto::EXTERNAL &&
        !inlineExternalData(tensor, baseDir, error))
      return false;
  return true;
}

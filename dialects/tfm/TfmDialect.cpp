//===- TfmDialect.cpp - the tfm dialect: registration, types, attrs -------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tfmc::tfm;

#include "tfm/TfmDialect.cpp.inc"
#include "tfm/TfmEnums.cpp.inc"
#include "tfm/TfmInterfaces.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "tfm/TfmTypes.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "tfm/TfmAttrs.cpp.inc"

void TfmDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tfm/TfmOps.cpp.inc"
      >();
  registerTypes();
  registerAttributes();
}

void TfmDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "tfm/TfmTypes.cpp.inc"
      >();
}

void TfmDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tfm/TfmAttrs.cpp.inc"
      >();
}

Operation *TfmDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type,
                                           Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}

LogicalResult OptionalType::verify(function_ref<InFlightDiagnostic()> emitError, Type valueType) {
  if (!isa<RankedTensorType, SequenceType>(valueType))
    return emitError() << "an optional holds a ranked tensor or a sequence, not " << valueType;
  return success();
}

LogicalResult DimsAttr::verifyEncoding(ArrayRef<int64_t> shape, Type,
                                       function_ref<InFlightDiagnostic()> emitError) const {
  size_t dynamic = llvm::count_if(shape, ShapedType::isDynamic);
  if (getExprs().size() != dynamic)
    return emitError() << "#tfm.dims lists " << getExprs().size() << " expressions for "
                       << dynamic << " dynamic dimensions";
  for (StringAttr expr : getExprs()) {
    if (expr.getValue() == "?")
      continue;
    std::optional<SymExpr> parsed = SymExpr::parse(expr.getValue());
    if (!parsed)
      return emitError() << "#tfm.dims: cannot parse '" << expr.getValue() << "'";
    if (parsed->isConstant())
      return emitError() << "#tfm.dims: '" << expr.getValue()
                         << "' is static; write it in the shape";
  }
  return success();
}

#define GET_OP_CLASSES
#include "tfm/TfmOps.cpp.inc"

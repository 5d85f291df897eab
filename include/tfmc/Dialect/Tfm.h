//===- Tfm.h - the tfm dialect ----------------------------------*- C++ -*-===//

#ifndef TFMC_DIALECT_TFM_H
#define TFMC_DIALECT_TFM_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TensorEncoding.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tfm/TfmDialect.h.inc"
#include "tfm/TfmEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "tfm/TfmTypes.h.inc"
#define GET_ATTRDEF_CLASSES
#include "tfm/TfmAttrs.h.inc"

namespace tfmc::tfm {
class ShapeInferenceOpInterface;
/// Default shape rule chosen by an op's marker trait.
llvm::LogicalResult inferByTraits(mlir::Operation *op,
                                  llvm::SmallVectorImpl<mlir::Type> &types);
/// Checks that an op's result types agree with the inferred ones.
llvm::LogicalResult verifyInferredTypes(mlir::Operation *op);

// Marker traits naming the default shape rule.
template <typename ConcreteType>
class SameShapeAsFirst
    : public mlir::OpTrait::TraitBase<ConcreteType, SameShapeAsFirst> {};
template <typename ConcreteType>
class Broadcasting : public mlir::OpTrait::TraitBase<ConcreteType, Broadcasting> {};
template <typename ConcreteType>
class BoolResult : public mlir::OpTrait::TraitBase<ConcreteType, BoolResult> {};
} // namespace tfmc::tfm

#include "tfm/TfmInterfaces.h.inc"

#define GET_OP_CLASSES
#include "tfm/TfmOps.h.inc"

#endif // TFMC_DIALECT_TFM_H

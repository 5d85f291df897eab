//===- TfmOps.td - every tfm operation --------------------*- tablegen -*-===//

#ifndef TFM_OPS_TD
#define TFM_OPS_TD

include "TfmElementwiseOps.td"
include "TfmMathOps.td"
include "TfmShapeOps.td"
include "TfmQuantOps.td"
include "TfmTransformerOps.td"
include "TfmControlFlowOps.td"

#endif // TFM_OPS_TD

#pragma once
// Lowering of an app's `parameter KEY VALUE` lines and of its
// `region CODE { parameter KEY VALUE }` overrides into each region's
// ParameterOverrides.

#include "compiler/base/diagnostics.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/schema.h"

namespace mrp {

/// The shapes of `parameter` and `region` inside an `app` block.
extern const DirectiveShape parameter_shape;
extern const DirectiveShape region_parameters_shape;

/// Fills `app.parameters` and `app.parameter_overrides` from the app block's
/// children; `ir.regions` must already be lowered.
void lower_parameters(const Children& app_children, const Ir& ir, App& app, Diagnostics& diags);

}  // namespace mrp

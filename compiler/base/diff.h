#pragma once
// Unified diffs of two texts, in the format of GNU `diff -u`, for `mrp check`
// and `mrp fmt --check`.

#include <string>
#include <string_view>

namespace mrp {

/// The unified diff that turns `before` into `after`, exactly as
/// `diff -U<context> --label <before_label> --label <after_label>` prints it:
/// `--- before_label` and `+++ after_label`, then one `@@ -a,b +c,d @@` hunk per
/// group of changes less than 2 * context + 1 unchanged lines apart. A range of
/// one line is written `-a`, an empty range `-a,0` with `a` the line before it
/// (so `-0,0` for an empty text). A last line without a newline is followed by
/// `\ No newline at end of file`. Lines are compared byte for byte, line ends
/// included. Returns "" when the texts are equal.
std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_label, std::string_view after_label,
                         int context = 3);

}  // namespace mrp

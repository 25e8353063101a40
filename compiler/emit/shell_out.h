#pragma once
// Shell output helpers: quoting of literal values and the common script header.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace mrp {

/// `value` as one bash word that expands to exactly `value`: bare when it holds
/// only characters with no meaning to the shell, otherwise single-quoted.
std::string shell_quote(std::string_view value);

/// The words of `values`, each quoted, separated by spaces.
std::string shell_words(const std::vector<std::string>& values);

/// The spec's region codes as shell words, in order.
std::string region_words(const Ir& ir);

/// Shebang, the generated-file comment and `set -euo pipefail`.
std::string script_header(const Ir& ir, std::string_view purpose);

/// The command line of a script that works in other accounts with their own
/// credentials: `--profile ACCOUNT=PROFILE` once for each of `accounts`, and
/// `--yes` (setting $yes) when `with_yes`. Fills the associative array
/// `profiles`, and stops (status 2) on a missing, unknown or malformed option,
/// and (status 1) when a profile is another account's: a stack deleted or
/// deployed in the wrong account is not undone. With `pipeline_account`, the
/// default credentials must be that account's too.
std::string profile_options(std::string_view script, const std::vector<std::string>& accounts,
                            bool with_yes, std::string_view region,
                            std::string_view pipeline_account);

}  // namespace mrp

#pragma once
// The .mrp grammar (docs/language.md §1). One rule per line; the rules where a mistake
// becomes certain are named and raise the error text beside them.
//
// Include this header from one translation unit only (compiler/syntax/parser.cpp, plus
// the grammar test): PEGTL rules are heavy templates.

#include <tao/pegtl.hpp>

namespace mrp::grammar {

namespace pegtl = tao::pegtl;

// clang-format off
struct newline : pegtl::sor<pegtl::string<'\r', '\n'>, pegtl::one<'\n'>> {};
struct blank : pegtl::one<' ', '\t'> {};
struct continuation : pegtl::seq<pegtl::one<'\\'>, newline> {};
struct comment : pegtl::seq<pegtl::one<'#'>, pegtl::star<pegtl::not_at<newline>, pegtl::any>> {};
struct ws : pegtl::star<pegtl::sor<blank, newline, comment>> {};  // between directives
struct sp : pegtl::star<pegtl::sor<blank, continuation>> {};      // inside a directive
struct sp1 : pegtl::plus<pegtl::sor<blank, continuation>> {};

struct name : pegtl::seq<pegtl::range<'a', 'z'>, pegtl::star<pegtl::ranges<'a', 'z', '0', '9', '-'>>> {};
struct word : pegtl::plus<pegtl::not_one<' ', '\t', '\r', '\n', '"', '{', '}', ';', '#', '\\'>> {};

struct escape_code : pegtl::one<'"', '\\', 'n', 't', '$'> {};
struct escape : pegtl::if_must<pegtl::one<'\\'>, escape_code> {};
struct string_char : pegtl::not_one<'"', '\\', '\r', '\n'> {};
struct string_close : pegtl::one<'"'> {};
struct string_body : pegtl::star<pegtl::sor<escape, string_char>> {};
struct string : pegtl::if_must<pegtl::one<'"'>, string_body, string_close> {};
struct arg : pegtl::sor<string, word> {};

struct directive;
struct block_open : pegtl::one<'{'> {};
struct block_close : pegtl::one<'}'> {};
struct block : pegtl::if_must<block_open, ws, pegtl::star<directive, ws>, block_close> {};
struct end : pegtl::sor<pegtl::one<';'>, newline, pegtl::at<pegtl::one<'#'>>, pegtl::at<pegtl::one<'}'>>, pegtl::eof> {};
struct directive_tail : pegtl::sor<block, end> {};
struct directive_rest : pegtl::seq<pegtl::star<sp1, arg>, sp, pegtl::must<directive_tail>> {};
struct directive : pegtl::if_must<name, directive_rest> {};

struct bom : pegtl::string<'\xEF', '\xBB', '\xBF'> {};
struct spec_end : pegtl::eof {};
struct spec : pegtl::seq<pegtl::opt<bom>, ws, pegtl::star<directive, ws>, pegtl::must<spec_end>> {};
// clang-format on

/// Error texts. `{found}` is replaced by what stands at the error position
/// (e.g. "`X`", "the end of the line", "the end of the file").
struct errors {
  template <typename Rule>
  static constexpr const char* message = nullptr;
};

// clang-format off
template <> inline constexpr const char* errors::message<escape_code> = "unknown escape {found} in string: use \\\" \\\\ \\n \\t or \\$";
template <> inline constexpr const char* errors::message<string_close> = "unterminated string: expected `\"` before {found}";
template <> inline constexpr const char* errors::message<block_close> = "expected a directive or `}` but found {found}";
template <> inline constexpr const char* errors::message<directive_tail> = "expected an argument, `{`, `;` or the end of the line but found {found}";
template <> inline constexpr const char* errors::message<spec_end> = "expected a directive but found {found}";
// clang-format on

}  // namespace mrp::grammar

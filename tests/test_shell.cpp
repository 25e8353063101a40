// Shell quoting: every value comes back from bash exactly as it went in.

#include <cstdio>

#include <doctest/doctest.h>

#include "compiler/shell_out.h"

namespace {

std::string bash_echo(const std::string& word) {
  const std::string cmd = "bash -c 'printf %s \"$1\"' _ " + word;
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

}  // namespace

TEST_CASE("safe words stay bare, everything else is single-quoted") {
  CHECK(mrp::shell_quote("us-east-1") == "us-east-1");
  CHECK(mrp::shell_quote("mrp-packaged/packaged-template-us-east-1.yaml") ==
        "mrp-packaged/packaged-template-us-east-1.yaml");
  CHECK(mrp::shell_quote("my template.yaml") == "'my template.yaml'");
  CHECK(mrp::shell_quote("it's") == "'it'\\''s'");
  CHECK(mrp::shell_quote("") == "''");
}

TEST_CASE("quoted values reach bash unchanged, never as code") {
  for (const char* v : {"plain", "two words", "$(touch /tmp/mrp-pwned)", "`id`", "a'b\"c",
                        "${HOME}", "semi;colon && pipe | x", "new\nline", "*", "~", "-n",
                        "Zürich"}) {
    CAPTURE(v);
    CHECK(bash_echo(mrp::shell_quote(v)) == v);
  }
}

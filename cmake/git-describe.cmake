# Writes OUTPUT, a header defining MRP_GIT_DESCRIBE: `git describe` of the
# source tree the build reads ("" outside a git checkout), so that
# `mrp --version` says which commit was built. Run at every build (not only at
# configure time), and the header is rewritten only when the text changes, so
# that a new commit recompiles the one file that prints it.
#
#   cmake -DSOURCE_DIR=... -DOUTPUT=... -P git-describe.cmake
set(describe "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
    OUTPUT_VARIABLE describe
    OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    set(describe "")
  endif()
endif()
set(text "// Written by cmake/git-describe.cmake at build time.\n#define MRP_GIT_DESCRIBE \"${describe}\"\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()

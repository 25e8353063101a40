# Writes OUTPUT, mrp's man page, with help2man from the built program's own
# --help and --version, so that the page and the program never disagree. Each
# subcommand's --help becomes a section of its own under COMMANDS; INCLUDE adds
# the sections no --help prints (exit status, files, see also). help2man dates
# the page from SOURCE_DATE_EPOCH when it is set (scripts/release sets it).
#
#   cmake -DMRP=... -DHELP2MAN=... -DINCLUDE=... -DOUTPUT=... -P man-page.cmake
# The subcommands are read from the program's own --help ("Subcommands:", one
# per line), so a new one gets its section without an edit here.
execute_process(COMMAND "${MRP}" --help OUTPUT_VARIABLE top_help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "`${MRP} --help` exited ${status}")
endif()
string(REGEX REPLACE "^.*\nSubcommands:\n" "" listed "${top_help}")
string(REGEX MATCHALL "(^|\n)  [a-z][a-z-]*" commands "${listed}")
list(TRANSFORM commands STRIP)
if(NOT commands)
  message(FATAL_ERROR "`${MRP} --help` lists no subcommands")
endif()
set(sections "[COMMANDS]\n")
foreach(command IN LISTS commands)
  execute_process(COMMAND "${MRP}" ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "`${MRP} ${command} --help` exited ${status}")
  endif()
  # roff: a backslash is written \e, a minus sign \- (a plain - may print as a
  # hyphen, which a shell does not take), and a line may not start with . or '.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REPLACE "-" "\\-" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND sections ".SS \"mrp ${command}\"\n.nf\n${help}.fi\n")
endforeach()
file(READ "${INCLUDE}" fixed)
get_filename_component(dir "${OUTPUT}" DIRECTORY)
file(WRITE "${dir}/mrp-commands.h2m" "${sections}${fixed}")
execute_process(
  COMMAND "${HELP2MAN}" --no-info --section=1
          "--name=compile a multi-region CodePipeline spec into its deployment files"
          --include=${dir}/mrp-commands.h2m --output=${OUTPUT} "${MRP}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "help2man exited ${status}")
endif()

# Runs a case binary with --pipelab-list and writes one add_test per case.
separate_arguments(emulator UNIX_COMMAND "${EMULATOR}")
execute_process(COMMAND ${emulator} ${BIN} --pipelab-list
  OUTPUT_VARIABLE listing RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pipelab: listing ${BIN} failed (${rc}): ${err}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(out "# generated from ${BIN} --pipelab-list; do not edit\n")
set(extra "")
# The direct runner by default; Criterion's own runner on request.
if(CRITERION_RUNNER)
  set(RUN_FLAG "--filter")
else()
  set(RUN_FLAG "--pipelab-run")
endif()
if(VALGRIND)
  set(extra "--valgrind")
endif()
if(NOT EMULATOR STREQUAL "")
  set(extra "--emulator [==[${EMULATOR}]==]") # a cross build's; PIPELAB_EMULATOR overrides it
endif()
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  string(REPLACE "\t" ";" f "${line}")
  list(GET f 0 test)
  list(GET f 1 id)
  list(LENGTH f n)
  set(labels "")
  if(n GREATER 2)
    list(GET f 2 labels)
  endif()
  if(id STREQUAL "")
    message(FATAL_ERROR "pipelab: ${test} in ${BIN} has no case id (declare it with PL_RULE)")
  endif()
  string(REPLACE " " ";" labels "cases ${labels}")
  if(id MATCHES "@fifo$")
    list(APPEND labels fifo)
  endif()
  if(VALGRIND)
    list(APPEND labels valgrind)
  endif()
  list(REMOVE_DUPLICATES labels)
  string(REGEX REPLACE "[/@]" "_" file "${id}")
  string(APPEND out
    "add_test([==[${id}]==] [==[${LAUNCH}]==] --id [==[${id}]==] --test [==[${test}]==]"
    " --evidence [==[${file}]==] --results [==[${RESULTS}]==] --mult ${MULT}"
    " --deadline ${LAUNCH_DEADLINE} ${extra} -- [==[${BIN}]==] ${RUN_FLAG} [==[${test}]==])\n"
    "set_tests_properties([==[${id}]==] PROPERTIES LABELS [==[${labels}]==]"
    " TIMEOUT ${CTEST_TIMEOUT} SKIP_RETURN_CODE 77"
    " FAIL_REGULAR_EXPRESSION [==[Tested: 0 ;ERROR SUMMARY: [1-9]]==]"
    " ENVIRONMENT [==[PIPELAB_TARGET_DEFAULT=${TARGET_NAME}]==])\n")
endforeach()
file(WRITE ${OUT} "${out}")

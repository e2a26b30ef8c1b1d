# pipelab_add_cases(NAME SOURCES...): build a Criterion case binary and, after
# each build, discover its tests (like gtest_discover_tests) into ctest entries
# run through pipelab-launch.
#
# ctest runs each case through the direct runner, which needs nothing of
# Criterion at run time; yet a binary linked with libcriterion loads it and
# its dependencies (libgit2, nanomsg, krb5, ...) at every start, about 5 ms
# per case process here, which is most of a case's cost.  So the same sources
# are also built without Criterion (cases/direct/NAME, the portable runner),
# and that is the binary ctest runs; the Criterion binary (cases/NAME) stays
# for Criterion's own runner (PIPELAB_CRITERION_RUNNER=ON, criterion_mode.sh).

# Deadlines nest (CLARIFICATIONS 4): scenario 2 s x mult < Criterion 15 s x mult
# < launcher 20 s x mult < ctest TIMEOUT 25 s x mult.  A group of N variants
# in one ctest entry (DiscoverCases.cmake) bounds each variant by the case
# process's 15 s x mult, and its launcher and TIMEOUT by N times the above.
math(EXPR PIPELAB_LAUNCH_DEADLINE "20 * ${PIPELAB_TIMEOUT_MULT}")
math(EXPR PIPELAB_CTEST_TIMEOUT "25 * ${PIPELAB_TIMEOUT_MULT}")
# Grouping (DiscoverCases.cmake): a binary's variants that share a suite and
# exactly the same labels run as one ctest entry, in one case process, each
# variant in its own forked child with its own record.  Never under valgrind
# (memory errors are counted per case process) nor Criterion's runner.
option(PIPELAB_GROUP_CASES "Run a suite's variants with the same labels in one ctest entry and one case process" ON)
set(PIPELAB_RESULTS_DEFAULT "${CMAKE_BINARY_DIR}/results")

# The emulator a cross build runs its case binaries under, as one string.
string(REPLACE ";" " " PIPELAB_CASE_EMULATOR "${CMAKE_CROSSCOMPILING_EMULATOR}")

function(pipelab_add_cases name)
  add_executable(${name} ${CMAKE_SOURCE_DIR}/cases/main.c ${ARGN})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/cases)
  if(PIPELAB_PORTABLE)
    target_compile_definitions(${name} PRIVATE PIPELAB_PORTABLE)
    target_link_libraries(${name} PRIVATE pipelab)
  else()
    target_include_directories(${name} PRIVATE ${CRITERION_INCLUDE_DIR})
    target_link_libraries(${name} PRIVATE pipelab ${CRITERION_LIBRARY})
  endif()
  # Helper programs that cases exec (unrelated FIFO peers; a cross build's
  # peer is the native one, which the emulator's execve runs natively).
  target_compile_definitions(${name} PRIVATE PIPELAB_FIFO_PEER="$<TARGET_FILE:pipelab-fifo-peer>")
  if(NOT CMAKE_CROSSCOMPILING)
    add_dependencies(${name} pipelab-fifo-peer pipelab-launch)
  endif()
  set(run_target ${name})
  if(NOT PIPELAB_PORTABLE AND NOT PIPELAB_CRITERION_RUNNER)
    set(run_target ${name}_direct)
    add_executable(${run_target} ${CMAKE_SOURCE_DIR}/cases/main.c ${ARGN})
    set_target_properties(${run_target} PROPERTIES OUTPUT_NAME ${name}
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/direct)
    target_include_directories(${run_target} PRIVATE ${CMAKE_SOURCE_DIR}/cases)
    target_compile_definitions(${run_target} PRIVATE PIPELAB_PORTABLE
      PIPELAB_FIFO_PEER="$<TARGET_FILE:pipelab-fifo-peer>")
    target_link_libraries(${run_target} PRIVATE pipelab)
    add_dependencies(${run_target} ${name})
  endif()
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_tests.cmake")
  add_custom_command(TARGET ${run_target} POST_BUILD
    COMMAND ${CMAKE_COMMAND}
      -D BIN=$<TARGET_FILE:${run_target}>
      -D LAUNCH=$<TARGET_FILE:pipelab-launch>
      -D OUT=${include_file}
      -D MULT=${PIPELAB_TIMEOUT_MULT}
      -D VALGRIND=${PIPELAB_VALGRIND}
      -D RESULTS=${PIPELAB_RESULTS_DEFAULT}
      -D LAUNCH_DEADLINE=${PIPELAB_LAUNCH_DEADLINE}
      -D CTEST_TIMEOUT=${PIPELAB_CTEST_TIMEOUT}
      -D TARGET_NAME=${PIPELAB_TARGET}
      -D CRITERION_RUNNER=${PIPELAB_CRITERION_RUNNER}
      -D GROUP=${PIPELAB_GROUP_CASES}
      "-D" "EMULATOR=${PIPELAB_CASE_EMULATOR}"
      -P ${CMAKE_SOURCE_DIR}/cmake/DiscoverCases.cmake
    BYPRODUCTS ${include_file}
    VERBATIM)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()

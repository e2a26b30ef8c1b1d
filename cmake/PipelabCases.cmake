# pipelab_add_cases(NAME SOURCES...): build a Criterion case binary and, after
# each build, discover its tests (like gtest_discover_tests) into ctest entries
# run through pipelab-launch.
#
# ctest runs each case through the direct runner, which needs nothing of
# Criterion at run time; yet a binary linked with libcriterion loads it and
# its dependencies (libgit2, nanomsg, krb5, ...) at every start, about 5 ms
# per case process here, which is most of a case's cost.  So the same sources
# are also built without Criterion, all suites in one binary
# (cases/direct/cases, the portable runner),
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

# After each build of TARGET, its --pipelab-list becomes ctest entries (OUT).
# ACROSS: the binary holds every suite, and a group may span suites.
function(pipelab_discover_cases target out across)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND}
      -D BIN=$<TARGET_FILE:${target}>
      -D LAUNCH=$<TARGET_FILE:pipelab-launch>
      -D OUT=${out}
      -D MULT=${PIPELAB_TIMEOUT_MULT}
      -D VALGRIND=${PIPELAB_VALGRIND}
      -D RESULTS=${PIPELAB_RESULTS_DEFAULT}
      -D LAUNCH_DEADLINE=${PIPELAB_LAUNCH_DEADLINE}
      -D CTEST_TIMEOUT=${PIPELAB_CTEST_TIMEOUT}
      -D TARGET_NAME=${PIPELAB_TARGET}
      -D CRITERION_RUNNER=${PIPELAB_CRITERION_RUNNER}
      -D GROUP=${PIPELAB_GROUP_CASES}
      -D ACROSS=${across}
      "-D" "EMULATOR=${PIPELAB_CASE_EMULATOR}"
      -P ${CMAKE_SOURCE_DIR}/cmake/DiscoverCases.cmake
    BYPRODUCTS ${out}
    VERBATIM)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${out})
endfunction()

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
  add_dependencies(${name} pipelab-fifo-peer) # the target's own, in a cross build
  if(NOT CMAKE_CROSSCOMPILING)
    add_dependencies(${name} pipelab-launch)
  endif()
  if(PIPELAB_PORTABLE OR PIPELAB_CRITERION_RUNNER)
    pipelab_discover_cases(${name} "${CMAKE_CURRENT_BINARY_DIR}/${name}_tests.cmake" OFF)
    return()
  endif()
  # ctest's runner: one binary of every suite (cases/direct/cases), made once
  # the directory has declared them all.  One binary lets a ctest entry hold
  # variants of several suites, so the suite needs fewer entries, and ctest's
  # and the launcher's cost per entry (about 4 ms) is paid fewer times.
  get_property(sources GLOBAL PROPERTY PIPELAB_DIRECT_SOURCES)
  if(NOT sources)
    cmake_language(DEFER CALL pipelab_add_direct_cases)
  endif()
  foreach(src IN LISTS ARGN)
    get_filename_component(src ${src} ABSOLUTE)
    set_property(GLOBAL APPEND PROPERTY PIPELAB_DIRECT_SOURCES ${src})
  endforeach()
endfunction()

function(pipelab_add_direct_cases)
  get_property(sources GLOBAL PROPERTY PIPELAB_DIRECT_SOURCES)
  list(REMOVE_DUPLICATES sources)
  add_executable(cases_direct ${CMAKE_SOURCE_DIR}/cases/main.c ${sources})
  set_target_properties(cases_direct PROPERTIES OUTPUT_NAME cases
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/direct)
  target_include_directories(cases_direct PRIVATE ${CMAKE_SOURCE_DIR}/cases)
  target_compile_definitions(cases_direct PRIVATE PIPELAB_PORTABLE
    PIPELAB_FIFO_PEER="$<TARGET_FILE:pipelab-fifo-peer>")
  target_link_libraries(cases_direct PRIVATE pipelab)
  add_dependencies(cases_direct pipelab-fifo-peer pipelab-launch)
  pipelab_discover_cases(cases_direct "${CMAKE_CURRENT_BINARY_DIR}/cases_tests.cmake" ON)
endfunction()

# Runs a case binary with --pipelab-list and writes its ctest entries.
#
# With GROUP (PIPELAB_GROUP_CASES, the default natively) a binary's variants
# that share their suite and exactly the same labels are one ctest entry: one
# launcher, one case process, each variant in its own forked child with its
# own record (harness/group_run.c, tools/launch_group.c).  So `-L posix`, `-L fifo`,
# `-L claims` select exactly the variants they did.  The entry is named
# SUITE/{LABELS}, plus @fifo for the FIFO variants: "select/{posix}",
# "select/{posix}@fifo", "fd/{linux,impl}".  With ACROSS (the one binary of
# every suite that native runs use, PipelabCases.cmake) the labels alone make
# the group, cut into entries of at most CHUNK: "{posix}#1", "{posix}@fifo#2".
# A group of one keeps its
# variant's id, and so does every `table` variant (`ctest -L table` lists the
# notes' 16 cells by id).  Without GROUP, under valgrind (memory errors are
# counted per case process) and under Criterion's runner, every variant is
# its own entry, named by its id.
#
# Beside the entries, OUT's NAME_entries.tsv lists "ENTRY<TAB>ID" for every
# variant: ./pipelab run -R turns a selection of ids into entries with it.
cmake_policy(VERSION 3.25) # IN_LIST
if(NOT DEFINED CHUNK)
  set(CHUNK 12)
endif()
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
  set(GROUP OFF)
else()
  set(RUN_FLAG "--pipelab-run")
endif()
if(VALGRIND)
  set(extra "--valgrind")
  set(GROUP OFF)
endif()
if(NOT EMULATOR STREQUAL "")
  set(extra "--emulator [==[${EMULATOR}]==]") # a cross build's; PIPELAB_EMULATOR overrides it
endif()
set(common "--results [==[${RESULTS}]==] --mult ${MULT}")
set(props "SKIP_RETURN_CODE 77 FAIL_REGULAR_EXPRESSION [==[Tested: 0 ;ERROR SUMMARY: [1-9]]==]"
  " ENVIRONMENT [==[PIPELAB_TARGET_DEFAULT=${TARGET_NAME}]==]")
string(CONCAT props ${props})
set(keys "")
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
  string(REGEX REPLACE "/.*" "" suite "${id}")
  if(GROUP AND ACROSS AND NOT "table" IN_LIST labels)
    # One binary of every suite: the label set alone makes the group, cut
    # into entries of at most CHUNK variants so that -j spreads them.
    string(MAKE_C_IDENTIFIER "all|${labels}" base)
    if(NOT DEFINED n_${base})
      set(n_${base} 0)
    endif()
    math(EXPR chunk "${n_${base}} / ${CHUNK} + 1")
    math(EXPR n_${base} "${n_${base}} + 1")
    set(key "${base}_${chunk}")
    set(g_${key}_chunk "#${chunk}")
  elseif(GROUP AND NOT "table" IN_LIST labels)
    string(MAKE_C_IDENTIFIER "${suite}|${labels}" key)
  else()
    string(MAKE_C_IDENTIFIER "one|${id}" key)
  endif()
  if(NOT DEFINED g_${key}_labels)
    list(APPEND keys ${key})
    set(g_${key}_labels "${labels}")
    set(g_${key}_suite "${suite}")
    set(g_${key}_ids "")
    set(g_${key}_tests "")
    set(g_${key}_files "")
  endif()
  list(APPEND g_${key}_ids "${id}")
  list(APPEND g_${key}_tests "${test}")
  list(APPEND g_${key}_files "${file}")
endforeach()

set(entries "")
foreach(key IN LISTS keys)
  set(labels "${g_${key}_labels}")
  list(LENGTH g_${key}_ids count)
  if(count EQUAL 1)
    list(GET g_${key}_ids 0 id)
    list(GET g_${key}_tests 0 test)
    list(GET g_${key}_files 0 file)
    set(name "${id}")
    set(launch "--id [==[${id}]==] --test [==[${test}]==] --evidence [==[${file}]==]")
    set(run "${RUN_FLAG} [==[${test}]==]")
  else()
    # SUITE/{profile,extra labels}[@fifo]: what the entry holds, readable.
    set(shown "${labels}")
    list(REMOVE_ITEM shown cases fifo)
    string(REPLACE ";" "," shown "${shown}")
    if(DEFINED g_${key}_chunk)
      set(name "{${shown}}")
    else()
      set(name "${g_${key}_suite}/{${shown}}")
    endif()
    if("fifo" IN_LIST labels)
      string(APPEND name "@fifo")
    endif()
    if(DEFINED g_${key}_chunk)
      string(APPEND name "${g_${key}_chunk}")
    endif()
    set(launch "--group [==[${name}]==]")
    foreach(i RANGE 1 ${count})
      math(EXPR j "${i} - 1")
      list(GET g_${key}_ids ${j} id)
      list(GET g_${key}_tests ${j} test)
      list(GET g_${key}_files ${j} file)
      string(APPEND launch " --case [==[${id}]==] [==[${test}]==] [==[${file}]==]")
    endforeach()
    set(run "--pipelab-run-each")
  endif()
  foreach(id IN LISTS g_${key}_ids)
    string(APPEND entries "${name}\t${id}\n")
  endforeach()
  math(EXPR deadline "${LAUNCH_DEADLINE} * ${count}")
  math(EXPR timeout "${CTEST_TIMEOUT} * ${count}")
  string(APPEND out
    "add_test([==[${name}]==] [==[${LAUNCH}]==] ${launch} ${common}"
    " --deadline ${deadline} ${extra} -- [==[${BIN}]==] ${run})\n"
    "set_tests_properties([==[${name}]==] PROPERTIES LABELS [==[${labels}]==]"
    " TIMEOUT ${timeout} ${props})\n")
endforeach()
file(WRITE ${OUT} "${out}")
string(REGEX REPLACE "_tests\\.cmake$" "_entries.tsv" entries_file "${OUT}")
file(WRITE ${entries_file} "${entries}")

# Writes OUT, a C table of each rule's one-line statement as docs/rules.md
# heads it ("## B. Reading: the notes' read table", "- **S2 — epoll (Linux).**"),
# so the reports show what a rule says without a second copy that could drift
# from the catalogue.  Run at build time whenever docs/rules.md changes.
# usage: cmake -DIN=docs/rules.md -DOUT=rule_titles.inc -P RuleTitles.cmake
file(STRINGS "${IN}" lines ENCODING UTF-8)
set(body "/* Generated from docs/rules.md by cmake/RuleTitles.cmake: do not edit. */\n")
set(n 0)
foreach(line IN LISTS lines)
  set(id "")
  if(line MATCHES "^## ([A-Z])\\. (.+)$")
    set(id "${CMAKE_MATCH_1}")
    set(title "${CMAKE_MATCH_2}")
  elseif(line MATCHES "^- \\*\\*(S[0-9]+) — ([^*]+)\\.\\*\\*")
    set(id "${CMAKE_MATCH_1}")
    set(title "${CMAKE_MATCH_2}")
  endif()
  if(NOT id STREQUAL "") # not if(id): "N" is false to cmake
    string(REPLACE "\\" "\\\\" title "${title}")
    string(REPLACE "\"" "\\\"" title "${title}")
    string(APPEND body "{ \"${id}\", \"${title}\" },\n")
    math(EXPR n "${n} + 1")
  endif()
endforeach()
if(n EQUAL 0)
  message(FATAL_ERROR "${IN}: no rule headings found")
endif()
file(WRITE "${OUT}" "${body}")

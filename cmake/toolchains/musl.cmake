# The cases built statically against musl (Debian: musl-tools), run natively:
# a second libc on this kernel. Built like a cross target (the portable
# runner, the native build's launcher and report tool); cJSON and the
# kernel's UAPI headers come from build-musl/deps (tools/cli/musl.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER musl-gcc)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# musl defines no macro naming itself: the records say which libc built them.
execute_process(COMMAND dpkg-query -W -f=\${Version} musl-dev OUTPUT_VARIABLE PIPELAB_MUSL_VERSION ERROR_QUIET)
string(REGEX REPLACE "-.*" "" PIPELAB_MUSL_VERSION "${PIPELAB_MUSL_VERSION}")
if(PIPELAB_MUSL_VERSION STREQUAL "")
  set(PIPELAB_MUSL_VERSION "unknown")
endif()
add_compile_definitions(PIPELAB_LIBC_NAME="musl" PIPELAB_LIBC_VERSION="${PIPELAB_MUSL_VERSION}")

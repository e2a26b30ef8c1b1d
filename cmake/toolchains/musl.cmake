# The cases built statically against musl (Debian: musl-tools), run natively:
# a second libc on this kernel. Built like a cross target (the portable
# runner, the native build's launcher and report tool); cJSON and the
# kernel's UAPI headers come from build-musl/deps (tools/cli/musl.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER musl-gcc)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

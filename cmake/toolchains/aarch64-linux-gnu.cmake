# Cross build for 64-bit Arm (Debian: gcc-aarch64-linux-gnu, libcjson-dev:arm64,
# qemu-user). The case binaries run under qemu-aarch64, which finds the arm64
# loader and libraries that multiarch installed under /lib and /usr/lib.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)

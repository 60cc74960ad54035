#!/usr/bin/env bash
# Builds the systrap/ptrace stub: a tiny static binary with no libc, linked at STUB_BASE.
set -euo pipefail
out=${1:?usage: build.sh OUTDIR}
command -v gcc >/dev/null || { echo "jvisor: gcc is required to build the stub (apt-get install gcc)" >&2; exit 1; }
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
if [ ! -e "$out/jvisor-stub" ] || [ "$src/stub.c" -nt "$out/jvisor-stub" ] || [ "$src/stub.h" -nt "$out/jvisor-stub" ]; then
  gcc -O2 -static -nostdlib -nostartfiles -ffreestanding -fno-builtin -fno-stack-protector \
      -fpie -no-pie -fno-asynchronous-unwind-tables -fcf-protection=none -Wall -Werror \
      -Wl,-Ttext-segment=0x7ff000000000 -Wl,--build-id=none -Wl,-z,noexecstack \
      -o "$out/jvisor-stub" "$src/stub.c"
fi

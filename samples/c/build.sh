#!/usr/bin/env bash
# Compiles every sample C program into $1 as NAME (static) so tests can run them in the sandbox and natively.
set -euo pipefail
out=${1:?usage: build.sh OUTDIR}
command -v gcc >/dev/null || { echo "jvisor: gcc is required to build the C samples (apt-get install gcc)" >&2; exit 1; }
shopt -s nullglob
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
for c in "$src"/*.c; do
  name=$(basename "$c" .c)
  if [ ! -e "$out/$name" ] || [ "$c" -nt "$out/$name" ]; then
    gcc -O2 -static -o "$out/$name" "$c" -lpthread
  fi
done

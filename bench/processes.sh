#!/usr/bin/env bash
# Process and thread costs natively and in the sandbox (systrap), in one run: fork+exit+wait,
# pthread create+join, fork+exec(/bin/true)+wait, in ms per operation, timed inside the program.
# Usage: bench/processes.sh (build first: mvn -q package -DskipTests). Run on a quiet machine.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
prog="$here/samples/target/c/procbench"
[ -x "$prog" ] || { echo "bench: $prog is missing; build first: mvn -q package -DskipTests" >&2; exit 1; }
echo "== native";  "$prog"
echo "== systrap"; "$here/jvisor" do --platform systrap -- "$prog"

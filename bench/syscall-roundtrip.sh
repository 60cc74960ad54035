#!/usr/bin/env bash
# Syscall round trip: a tight getppid loop natively, under systrap and under ptrace, in one run.
# Prints ns per syscall for each and the ratios, with the in-process seccomp-trap floor. Usage: bench/syscall-roundtrip.sh [N]
# (build first: mvn -q package -DskipTests). The loop is timed inside the program, so JVM start-up
# is not counted; the Sentry's JIT warms up during the first part of the loop.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
prog="$here/samples/target/c/getppid_bench"
n=${1:-2000000}
[ -x "$prog" ] || { echo "bench: $prog is missing; build first: mvn -q package -DskipTests" >&2; exit 1; }
measure() { "$@" | awk '/^ns_per_call/ {print $2}'; }
native=$(measure "$prog" "$n")
floor=$(measure "$here/samples/target/c/sigsys_floor" "$n")
systrap=$(measure "$here/jvisor" do --platform systrap -- "$prog" "$n")
ptrace=$(measure "$here/jvisor" do --platform ptrace -- "$prog" $((n / 50)))
printf '%-10s %12s %10s\n' platform "ns/syscall" "x native"
printf '%-10s %12.0f %10.1f\n' native "$native" 1
printf '%-10s %12.0f %10.1f   (in-process SIGSYS + sigreturn, no hand-off: the floor for systrap)\n' sigsys "$floor" "$(echo "$floor / $native" | bc -l)"
printf '%-10s %12.0f %10.1f\n' systrap "$systrap" "$(echo "$systrap / $native" | bc -l)"
printf '%-10s %12.0f %10.1f\n' ptrace "$ptrace" "$(echo "$ptrace / $native" | bc -l)"

#!/usr/bin/env bash
# The container lifecycle, end to end through the CLI (each command is a JVM start plus a request on
# the sandbox's control socket): `run` of /bin/true, `exec` of /bin/true in a running container,
# `pause` + `resume`, `state`, with native /bin/true alongside. Median of N runs (default 7), in ms.
# Usage: bench/container.sh [N]  (build first: mvn -q package -DskipTests)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-7}
[ -f "$here/cli/target/jvisor.jar" ] || { echo "bench: build first: mvn -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d)
j=("$here/jvisor" --root "$work/state")
trap '"${j[@]}" delete --force bench-c >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
mkdir -p "$work/true" "$work/sleep"
ln -s / "$work/true/rootfs"
ln -s / "$work/sleep/rootfs"
"${j[@]}" spec --bundle "$work/true" -- /bin/true
"${j[@]}" spec --bundle "$work/sleep" -- /bin/sleep 3600
printf '%-40s %8s\n' "" "ms"
printf '%-40s %8s\n' "native /bin/true" "$(for i in $(seq "$n"); do ms /bin/true; done | median)"
printf '%-40s %8s\n' "jvisor run (container of /bin/true)" \
  "$(for i in $(seq "$n"); do ms "${j[@]}" run --bundle "$work/true" "bench-r$i"; done | median)"
"${j[@]}" run --detach --bundle "$work/sleep" bench-c
printf '%-40s %8s\n' "jvisor exec bench-c /bin/true" "$(for i in $(seq "$n"); do ms "${j[@]}" exec bench-c /bin/true; done | median)"
printf '%-40s %8s\n' "jvisor pause + resume" \
  "$(for i in $(seq "$n"); do s=$(date +%s%N); "${j[@]}" pause bench-c; "${j[@]}" resume bench-c; e=$(date +%s%N); echo $(((e - s) / 1000000)); done | median)"
printf '%-40s %8s\n' "jvisor state" "$(for i in $(seq "$n"); do ms "${j[@]}" state bench-c; done | median)"

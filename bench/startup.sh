#!/usr/bin/env bash
# Cold start of a sandbox: `jvisor do -- /bin/true` end to end (JVM, Sentry, gofer, stub, the program),
# with and without the class-data archive the build makes (bin/build-cds), native /bin/true alongside.
# Prints the median of N runs (default 7) in ms. Usage: bench/startup.sh [N]  (build first)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-7}
[ -f "$here/cli/target/jvisor.jar" ] || { echo "bench: build first: mvn -q package -DskipTests" >&2; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run_ms() {
  for _ in $(seq "$n"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
    echo $(((e - s) / 1000000))
  done | median
}
archive="$here/cli/target/jvisor.jsa"
printf '%-34s %8s\n' "" "ms"
printf '%-34s %8s\n' "native /bin/true" "$(run_ms /bin/true)"
printf '%-34s %8s\n' "jvisor do -- /bin/true" "$(run_ms "$here/jvisor" do -- /bin/true)"
if [ -f "$archive" ]; then
  hidden="$archive.off"
  mv "$archive" "$hidden"
  trap 'mv "$hidden" "$archive"' EXIT
  printf '%-34s %8s\n' "same, without the class-data archive" "$(run_ms "$here/jvisor" do -- /bin/true)"
fi

#!/usr/bin/env bash
# Checkpoint and restore of a sandbox with 64, 256 and 1024 MiB of touched memory (half random, half
# zero): prints checkpoint time (until the image is complete), how long the app was paused (the
# sandbox runs on while pages stream: --leave-running), restore time (until the app runs again: from
# the restore command's start, and from the JVM's start), image size and MB/s.
# Usage: bench/checkpoint.sh [SIZES...]  (build first: mvn -q package -DskipTests)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
prog="$here/samples/target/c/touchmem"
[ -x "$prog" ] || { echo "bench: $prog is missing; build first: mvn -q package -DskipTests" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(64 256 1024)
img=$(mktemp -d)
trap 'rm -rf "$img"' EXIT
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
printf '%8s %14s %10s %12s %12s %12s %12s %12s\n' MiB checkpoint_ms pause_ms ckpt_MB/s restore_ms +jvm_ms rest_MB/s image_MiB
for mib in "${sizes[@]}"; do
  # Checkpoint once the memory is touched (about 1 s + 1 s per 512 MiB here), well before the end.
  after_ms=$((1000 + mib * 2))
  ticks=$(((after_ms + 3000) / 10))
  rm -rf "$img/s"
  ck=$(JVISOR_STATS=1 "$here/jvisor" do --checkpoint-after "${after_ms}ms" --leave-running --image-path "$img/s" -- "$prog" "$mib" "$ticks" 2>&1 >/dev/null | grep 'stats checkpoint' || true)
  [ -n "$ck" ] || { echo "bench: no checkpoint for $mib MiB (the program ended first?)" >&2; continue; }
  rs=$(JVISOR_STATS=1 "$here/jvisor" restore --image-path "$img/s" 2>&1 | tee "$img/out" | grep 'stats restore' || true)
  grep -q intact "$img/out" || { echo "bench: restored memory of $mib MiB is not intact" >&2; exit 1; }
  printf '%8s %14s %10s %12s %12s %12s %12s %12.1f\n' "$mib" "$(echo "$ck" | field ' ms')" "$(echo "$ck" | field pause_ms)" "$(echo "$ck" | field mb_per_s)" \
    "$(echo "$rs" | field ' ms')" "$(echo "$rs" | field process_ms)" "$(echo "$rs" | field mb_per_s)" "$(echo "$(echo "$ck" | field image_bytes) / 1048576" | bc -l)"
done

#!/bin/bash
# make bench / make bench-1m: the counting pipeline against the raw mbedTLS
# rate measured in the same run (the machine is shared: ratios, not times).
#   scripts/bench.sh BUILD_DIR TOTAL_BALLOTS
# BENCH_REUSE=1 (with BENCH_IMPORT_ONLY=1): keep the ceremony and the cast media
# of a previous run of the same size and time the import again (casting
# 1,000,000 ballots takes minutes).
# Steps: key ceremony (simulated cards) for a demo-like election with large
# inscrits; platform simulator casts TOTAL/4 ballots in each of 4 scrutins
# (not timed as part of the pipeline); raw rates (sceau-bench); import
# (time, MB/s, peak memory); count with --jobs 1 and with all cores
# (ballots/s, ratio to the bound, peak memory, scaling).
set -euo pipefail
B=$(cd "$1" && pwd)
N=$2
top=$(cd "$(dirname "$0")/.." && pwd)
W="$top/build/bench-run-$N"
cores=$(nproc)
cd "$top"
export SCEAU_BUILD="$B"
. tests/session/lib.sh
per=$((N / 4))
if [ -n "${BENCH_REUSE:-}" ] && [ -n "${BENCH_IMPORT_ONLY:-}" ] && [ -f "$W/p/urn.iso" ]; then
	echo "reusing the ceremony and the media cast in $W"
	rm -rf "$W/s1" "$W/s2"
	t0=0; t1=0
else
	rm -rf "$W"; mkdir -p "$W"
	sed -e 's/"inscrits": [0-9]*/"inscrits": 5000000/' tests/data/demo-election.json > "$W/election.json"
	ceremony "$W/election.json"
	echo "casting $per ballots in each of 4 scrutins (platform simulator, $cores threads)..."
	t0=$(date +%s.%N)
	cast "$W/p" "$per" --jobs "$cores"
	t1=$(date +%s.%N)
fi
urn_bytes=$(stat -c %s "$W/p/urn.iso")

echo "raw mbedTLS rates..."
"$B/sceau-bench" raw --jobs "$cores" --count 3000 > "$W/raw.txt"
val() { sed -n "s/^$1=//p" "$W/raw.txt"; }

timed() { # label command...: prints seconds and peak KiB into $W/label.time
	local label=$1; shift
	/usr/bin/time -f "%e %M" -o "$W/$label.time" "$@" > "$W/$label.log" 2>&1
}
echo "import..."
timed import "$B/sceau" import --session "$W/s1" --record "$W/ceremony/record.json" \
	--definition "$W/ceremony/election.json" --urn "$W/p/urn.iso" --emargement "$W/p/emargement.iso"
# The import hashes every byte of both media twice (the data file for its
# manifest, the image for the archive): its rate is reported against the raw
# SHA-256 rate of one core measured above, a ratio that the machine's load
# moves much less than the rate itself.
read -r imp_s imp_kb < "$W/import.time"
import_line() {
	awk -v n="$N" -v bytes="$urn_bytes" -v eb="$(stat -c %s "$W/p/emargement.iso")" \
		-v s="$imp_s" -v kb="$imp_kb" -v sha="$(val raw_sha256_mb_per_s_1)" 'BEGIN {
		both = (bytes + eb) / 1e6 / s
		printf "  raw mbedTLS SHA-256, 1 thread: %.0f MB/s\n", sha
		printf "  import  : %.2f s for urn %.1f MB + emargement %.1f MB: urn %.1f MB/s, both media %.1f MB/s (%.2f of the raw SHA-256 rate), peak %.1f MiB\n", s, bytes / 1e6, eb / 1e6, bytes / 1e6 / s, both, both / sha, kb / 1024
	}'
}
if [ -n "${BENCH_IMPORT_ONLY:-}" ]; then
	{ echo "Sceau import bench: $N ballots, $cores cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
	  import_line; } | tee "$W/report.txt"
	exit 0
fi
"$B/sceau" import --session "$W/s2" --record "$W/ceremony/record.json" \
	--definition "$W/ceremony/election.json" --urn "$W/p/urn.iso" \
	--emargement "$W/p/emargement.iso" > /dev/null
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
echo "count, 1 job..."
timed count1 "$B/sceau" count --session "$W/s1" --slot "$W/slots/1" --slot "$W/slots/2" \
	--script "$W/pins" --jobs 1
echo "count, $cores jobs..."
timed countn "$B/sceau" count --session "$W/s2" --slot "$W/slots/1" --slot "$W/slots/2" \
	--script "$W/pins" --jobs "$cores"
cmp -s "$W/s1/results.json" "$W/s2/results.json" || { echo "results differ between 1 and $cores jobs" >&2; exit 1; }

read -r c1_s c1_kb < "$W/count1.time"
read -r cn_s cn_kb < "$W/countn.time"
awk -v n="$N" -v bytes="$urn_bytes" -v t0="$t0" -v t1="$t1" -v when="$(date -u '+%Y-%m-%d %H:%M UTC')" \
	-v c1_s="$c1_s" -v c1_kb="$c1_kb" \
	-v cn_s="$cn_s" -v cn_kb="$cn_kb" -v cores="$cores" \
	-v b1="$(val bound_1)" -v bn="$(val bound_jobs)" \
	-v rv="$(val raw_var_per_s_1)" -v rf="$(val raw_fixed_per_s_1)" \
	-v rvn="$(val raw_var_per_s_per_thread)" -v rfn="$(val raw_fixed_per_s_per_thread)" '
BEGIN {
	r1 = n / c1_s; rn = n / cn_s
	printf "Sceau bench: %d ballots (4 scrutins), %d cores, %s\n", n, cores, when
	printf "  raw mbedTLS P-256, 1 thread : %.0f var-base/s, %.0f fixed-base/s\n", rv, rf
	printf "  raw, %d threads at once      : %.0f var-base/s, %.0f fixed-base/s per thread\n", cores, rvn, rfn
	printf "  bound (2 var + 1 fixed per ballot): %.0f ballots/s with 1 job, %.0f with %d\n", b1, bn, cores
	printf "  cast (simulator, not part of the pipeline): %.1f s\n", t1 - t0
	printf "  count -j1 : %.2f s, %.0f ballots/s, ratio %.2f of bound, peak %.1f MiB\n", c1_s, r1, r1 / b1, c1_kb / 1024
	printf "  count -j%d : %.2f s, %.0f ballots/s, ratio %.2f of bound, peak %.1f MiB\n", cores, cn_s, rn, rn / bn, cn_kb / 1024
	printf "  scaling 1 -> %d jobs: x%.2f (the raw rate itself scales x%.2f on this machine)\n", cores, rn / r1, cores * rvn / rv
}' > "$W/report.txt"
import_line >> "$W/report.txt"
cat "$W/report.txt"
echo "report: $W/report.txt"

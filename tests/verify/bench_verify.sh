#!/bin/bash
# Proof-checking throughput of sceau-verify against the raw mbedTLS rate of
# this machine, measured in the same run (a shared machine: ratios, not
# times). Not part of the test suite (it takes minutes):
#   SCEAU_BUILD=build/dev-verify tests/verify/bench_verify.sh [BALLOTS_PER_SCRUTIN] [JOBS]
# The decryption proofs only, with the box's own implementation (--crypto
# mbedtls: the raw rates are mbedTLS's; OpenSSL's numbers are sceau-bench
# checks' and shuffle-check's, docs/VERIFY.md "Performance"). A proof check
# costs one fixed-base and three variable-base multiplications (dleq2_verify:
# zG - cPK and zA' - cS, two muladds) plus the re-decoding of M (small), so
# the bound with J threads is
#   J / (3 / var_rate + 1 / fixed_rate)   ballots per second,
# with the per-thread rates sceau-bench measures while J threads run.
set -euo pipefail
N=${1:-1000}
J=${2:-$(nproc)}
export SCEAU_BUILD=$(cd "${SCEAU_BUILD:-build/dev-verify}" && pwd)
cd "$(dirname "$0")/../.."
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-bench-verify-XXXXXX)
trap 'rm -rf "$W"' EXIT
sed -e 's/"inscrits": [0-9]*/"inscrits": 5000000/' tests/data/demo-election.json > "$W/election.json"
ceremony "$W/election.json"
cast "$W/p" "$N" --jobs "$J"
import_urn "$W/s" "$W/p" > /dev/null
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
count "$W/s" "$W/pins" "$W/slots/1" "$W/slots/2" -- --jobs "$J" > /dev/null 2>&1
# Interleaved and repeated: the best of three of each measure, since other
# processes on a shared machine only ever slow a run down.
for i in 1 2 3; do
	"$B/sceau-bench" raw --jobs "$J" --count 1500 > "$W/raw$i.txt"
	"$B/sceau-verify" --session "$W/s" --crypto mbedtls --no-pdf --jobs "$J" --json "$W/vn$i.json" --quiet > /dev/null
	"$B/sceau-verify" --session "$W/s" --crypto mbedtls --no-pdf --jobs 1 --json "$W/v1$i.json" --quiet > /dev/null
done
/usr/bin/python3 - "$W" "$J" <<'PY'
import json, sys
w, j = sys.argv[1], int(sys.argv[2])
raws = [dict(l.strip().split("=") for l in open("%s/raw%d.txt" % (w, i))) for i in (1, 2, 3)]
best = lambda k: max(float(r[k]) for r in raws)
var_n, fix_n = best("raw_var_per_s_per_thread"), best("raw_fixed_per_s_per_thread")
var_1, fix_1 = best("raw_var_per_s_1"), best("raw_fixed_per_s_1")
bound_n = j / (3 / var_n + 1 / fix_n)
bound_1 = 1 / (3 / var_1 + 1 / fix_1)
pn = [json.load(open("%s/vn%d.json" % (w, i)))["proofs"] for i in (1, 2, 3)]
p1 = [json.load(open("%s/v1%d.json" % (w, i)))["proofs"] for i in (1, 2, 3)]
rn = max(float(p["per_second"]) for p in pn)
r1 = max(float(p["per_second"]) for p in p1)
print("sceau-verify proofs: %d ballots, best of 3 runs" % pn[0]["total"])
print("  raw P-256, %d threads: %.0f var-base/s, %.0f fixed-base/s per thread" % (j, var_n, fix_n))
print("  raw P-256, 1 thread : %.0f var-base/s, %.0f fixed-base/s" % (var_1, fix_1))
print("  bound (3 var + 1 fixed per proof): %.0f/s with %d threads, %.0f/s with 1" % (bound_n, j, bound_1))
print("  --jobs %d: %.0f proofs/s, ratio %.2f of the bound" % (j, rn, rn / bound_n))
print("  --jobs 1: %.0f proofs/s, ratio %.2f of the bound" % (r1, r1 / bound_1))
PY

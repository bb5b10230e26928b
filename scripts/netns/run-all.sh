#!/usr/bin/env bash
# Runs the multi-host fault scenarios (scripts/netns/scenario.sh) one after the other, each on its
# own fresh namespaces (a coordinator host and three worker hosts on a private 10.77.0.0/24 bridge),
# and prints a summary table.
#
#   scripts/netns/run-all.sh [--out DIR] [SCENARIO...]
#
# Default scenarios: worker-kill partition coordinator-restart sqlite-kill (also: baseline, a run
# with no fault). Exit status: 0 when every scenario passed — every expected test came back once:
# lost = 0, duplicated = 0 — or when the harness cannot run here (then it prints "skipped: <why>");
# 1 when a scenario failed. Logs, reports and databases stay in DIR (default: a new
# /tmp/testshard-netns.XXXXXX). Namespaces are removed whatever happens (each scenario's trap, and
# a sweep here).
#
# Needs root, iproute2, procps, sqlite3, python3 with pytest, and the release binaries:
#   swift build -c release && scripts/netns/run-all.sh
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${TESTSHARD_BIN:-$REPO/.build/release}
DEFAULT=(worker-kill partition coordinator-restart sqlite-kill)
# A scenario that has not finished after this long is stopped (its trap still cleans up).
SCENARIO_LIMIT_S=${TESTSHARD_NETNS_SCENARIO_LIMIT:-240}
OUT=""
SCENARIOS=()
while (($#)); do
    case $1 in
    --out)
        OUT=$2
        shift 2
        ;;
    -h | --help)
        sed -n '2,16p' "$0"
        exit 0
        ;;
    *)
        SCENARIOS+=("$1")
        shift
        ;;
    esac
done
((${#SCENARIOS[@]})) || SCENARIOS=("${DEFAULT[@]}")

skip() {
    echo "netns harness skipped: $*"
    exit 0
}
[[ $(id -u) == 0 ]] || skip "not root (uid $(id -u)); network namespaces need root"
command -v ip >/dev/null || skip "no ip command (install iproute2)"
probe="tsnprobe$$"
if ! err=$(ip netns add "$probe" 2>&1); then
    skip "ip netns does not work here: $err"
fi
ip netns del "$probe"
for tool in sqlite3 python3 ps timeout; do
    command -v "$tool" >/dev/null || { echo "netns harness: missing $tool (apt-get install sqlite3 python3 procps coreutils)"; exit 1; }
done
python3 -c 'import pytest' 2>/dev/null || { echo "netns harness: python3 cannot import pytest (pip install pytest)"; exit 1; }
if [[ ! -x $BIN/testshard-coordinator || ! -x $BIN/testshard-worker ]]; then
    echo "netns harness: no testshard binaries in $BIN: run swift build -c release first (or set TESTSHARD_BIN)"
    exit 1
fi

OUT=${OUT:-$(mktemp -d /tmp/testshard-netns.XXXXXX)}
mkdir -p "$OUT"
PREFIX="tsn$$"

# Whatever a scenario left behind (it was killed before its own trap ran): our prefix only.
sweep() {
    local ns pids
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${PREFIX}s[0-9]+-" || true); do
        pids=$(ip netns pids "$ns" 2>/dev/null)
        # shellcheck disable=SC2086
        [[ -n $pids ]] && kill -KILL $pids 2>/dev/null
        ip netns del "$ns" 2>/dev/null && echo "netns harness: removed leftover namespace $ns"
    done
}
trap sweep EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "netns harness: scenarios ${SCENARIOS[*]}; binaries $BIN; output in $OUT"
declare -A STATUS SECS COUNTS NOTES
failed=0
all_start=$SECONDS
i=0
for scenario in "${SCENARIOS[@]}"; do
    i=$((i + 1))
    echo
    echo "=== $scenario ==="
    start=$SECONDS
    TESTSHARD_BIN=$BIN TESTSHARD_NETNS_PREFIX="${PREFIX}s$i" \
        timeout -k 30 "$SCENARIO_LIMIT_S" bash "$HERE/scenario.sh" "$scenario" "$OUT/$scenario" 2>&1 |
        tee "$OUT/$scenario.log"
    rc=${PIPESTATUS[0]}
    sweep
    SECS[$scenario]=$((SECONDS - start))
    if ((rc == 0)) && grep -q "^RESULT scenario=$scenario status=PASS" "$OUT/$scenario.log"; then
        STATUS[$scenario]=PASS
    elif ((rc == 124)); then
        STATUS[$scenario]="FAIL (>${SCENARIO_LIMIT_S}s)"
        failed=1
    else
        STATUS[$scenario]="FAIL (exit $rc)"
        failed=1
    fi
    COUNTS[$scenario]=$(grep '^COUNTS' "$OUT/$scenario.log" | tail -1 |
        sed -E 's/.*expected=([0-9]+) received=([0-9]+) lost=([0-9]+) duplicated=([0-9]+).*/\1 \2 \3 \4/')
    NOTES[$scenario]=$(sed -n 's/^NOTE //p' "$OUT/$scenario.log" | paste -sd';' -)
    # A scenario that passed must show lost = 0 and duplicated = 0 in its last COUNTS line.
    read -r _ _ lost duplicated <<<"${COUNTS[$scenario]:-- - - -}"
    if [[ ${STATUS[$scenario]} == PASS && ($lost != 0 || $duplicated != 0) ]]; then
        STATUS[$scenario]="FAIL (counts)"
        failed=1
    fi
done

echo
echo "=== netns harness summary (logs in $OUT; wall $((SECONDS - all_start))s) ==="
printf '%-20s %-14s %8s %8s %5s %10s %7s  %s\n' scenario status expected received lost duplicated seconds "what happened"
for scenario in "${SCENARIOS[@]}"; do
    read -r expected received lost duplicated <<<"${COUNTS[$scenario]:-- - - -}"
    printf '%-20s %-14s %8s %8s %5s %10s %7s  %s\n' "$scenario" "${STATUS[$scenario]}" \
        "${expected:--}" "${received:--}" "${lost:--}" "${duplicated:--}" "${SECS[$scenario]}" "${NOTES[$scenario]:-}"
done
if ((failed)); then
    echo "netns harness: FAILED (see the scenario logs above and in $OUT)"
else
    echo "netns harness: all scenarios passed"
fi
exit "$failed"

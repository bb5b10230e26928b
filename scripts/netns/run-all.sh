#!/usr/bin/env bash
# Runs every multi-host fault scenario (scripts/netns/scenario.sh), one after the other, each in its
# own fresh namespaces, and prints a summary table.
#
#   scripts/netns/run-all.sh [--out DIR] [SCENARIO...]
#
# Exit status: 0 when every scenario passed, or when the harness cannot run here (not root, no
# `ip netns`): then it says why it skipped. 1 when a scenario failed. Logs, reports and databases
# stay in DIR (default: a new /tmp/testshard-netns.XXXXXX) for inspection.
#
# Needs (apt): iproute2 procps sqlite3, plus python3 with pytest, and the release binaries:
#   swift build -c release && scripts/netns/run-all.sh
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ALL=(baseline worker-kill partition coordinator-restart sqlite-kill)
OUT=""
SCENARIOS=()
while (($#)); do
    case $1 in
    --out)
        OUT=$2
        shift 2
        ;;
    -h | --help)
        sed -n '2,13p' "$0"
        exit 0
        ;;
    *)
        SCENARIOS+=("$1")
        shift
        ;;
    esac
done
((${#SCENARIOS[@]})) || SCENARIOS=("${ALL[@]}")

skip() {
    echo "netns harness skipped: $*"
    exit 0
}
[[ $(id -u) == 0 ]] || skip "it needs root to create network namespaces (running as uid $(id -u))"
command -v ip >/dev/null || skip "the ip command (iproute2) is not installed"
probe="tsnprobe$$"
if ! err=$(ip netns add "$probe" 2>&1); then
    skip "ip netns is unavailable here: $err"
fi
ip netns del "$probe"

OUT=${OUT:-$(mktemp -d /tmp/testshard-netns.XXXXXX)}
mkdir -p "$OUT"
echo "netns harness: scenarios ${SCENARIOS[*]}; output in $OUT"

declare -A STATUS SECS COUNTS
failed=0
for scenario in "${SCENARIOS[@]}"; do
    echo
    echo "=== $scenario ==="
    start=$SECONDS
    bash "$HERE/scenario.sh" "$scenario" "$OUT/$scenario" 2>&1 | tee "$OUT/$scenario.log"
    rc=${PIPESTATUS[0]}
    SECS[$scenario]=$((SECONDS - start))
    if ((rc == 0)) && grep -q "^RESULT scenario=$scenario status=PASS" "$OUT/$scenario.log"; then
        STATUS[$scenario]=PASS
    else
        STATUS[$scenario]="FAIL (exit $rc)"
        failed=1
    fi
    COUNTS[$scenario]=$(grep '^COUNTS' "$OUT/$scenario.log" | tail -1 |
        sed -E 's/.*expected=([0-9]+) received=([0-9]+) lost=([0-9]+) duplicated=([0-9]+).*/\1 \2 \3 \4/')
done

echo
echo "=== summary (logs in $OUT) ==="
printf '%-20s %-14s %8s %8s %8s %10s %8s\n' scenario status expected received lost duplicated seconds
for scenario in "${SCENARIOS[@]}"; do
    read -r expected received lost duplicated <<<"${COUNTS[$scenario]:-- - - -}"
    printf '%-20s %-14s %8s %8s %8s %10s %8s\n' "$scenario" "${STATUS[$scenario]}" \
        "${expected:--}" "${received:--}" "${lost:--}" "${duplicated:--}" "${SECS[$scenario]}"
done
exit "$failed"

#!/usr/bin/env bash
# One multi-host fault scenario for TestShard, on hosts made of Linux network namespaces.
#
#   scripts/netns/scenario.sh SCENARIO OUT_DIR
#
# SCENARIO: baseline | worker-kill | partition | coordinator-restart | sqlite-kill
#
# Topology (all of it inside namespaces this script creates; the root namespace is not touched):
#
#     <p>-coord 10.77.0.1 ──┐
#     <p>-w1    10.77.0.11 ─┤
#     <p>-w2    10.77.0.12 ─┼── br0 in <p>-sw (each host: eth0 ↔ veth port p-<host> on the bridge)
#     <p>-w3    10.77.0.13 ─┘
#
# Each host has only lo and eth0 with one address in TESTSHARD_NETNS_SUBNET (default 10.77.0)/24 and
# no default route, so no packet can leave the topology. All hosts see the same filesystem, so the
# suite lives at one path and every worker uses it as --root. The coordinator listens on
# <coord>:7070 with a token file and --expect-workers 3; the lease is 6 s, heartbeats 1 s.
#
# Every scenario ends by comparing the run's junit.xml and report.json with the inventory
# (check_results.py: expected = received, lost = 0, duplicated = 0). An EXIT trap kills every process
# in the namespaces and deletes them, whatever failed. Needs root, iproute2, procps, python3 with
# pytest, sqlite3, and the release binaries (swift build -c release, or TESTSHARD_BIN=DIR).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${TESTSHARD_BIN:-$REPO/.build/release}
SUBNET=${TESTSHARD_NETNS_SUBNET:-10.77.0}
LEASE_S=6
PORT=7070

SCENARIO=${1:?usage: scenario.sh SCENARIO OUT_DIR}
OUT=${2:?usage: scenario.sh SCENARIO OUT_DIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# Namespace names carry this script's pid so parallel runs never meet.
P="tsn$$"
SW="$P-sw"
HOSTS=(coord w1 w2 w3)
declare -A ADDR=([coord]="$SUBNET.1" [w1]="$SUBNET.11" [w2]="$SUBNET.12" [w3]="$SUBNET.13")
COORD_ADDR="${ADDR[coord]}:$PORT"
CREATED_NS=()
HELPER_PIDS=()

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "$SCENARIO" "$*"; }
fail() {
    log "FAIL: $*"
    echo "RESULT scenario=$SCENARIO status=FAIL reason=\"$*\""
    exit 1
}

# ---------------------------------------------------------------------------------------------
# Teardown: runs on every exit. Kills what runs in our namespaces (TERM, then KILL), deletes them,
# and checks that none is left.

kill_namespace() {  # ns signal: signal every process in ns; returns when none is left (≤ 5 s)
    local ns=$1 signal=$2 pids
    for _ in $(seq 50); do
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        [[ -z $pids ]] && return 0
        # shellcheck disable=SC2086
        kill "-$signal" $pids 2>/dev/null || true
        sleep 0.1
    done
    [[ -z $(ip netns pids "$ns" 2>/dev/null || true) ]]
}

cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    for pid in "${HELPER_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for ns in "${CREATED_NS[@]}"; do
        [[ -n $(ip netns pids "$ns" 2>/dev/null) ]] && kill_namespace "$ns" TERM >/dev/null
        kill_namespace "$ns" KILL || log "teardown: processes remain in $ns: $(ip netns pids "$ns" | tr '\n' ' ')"
    done
    wait 2>/dev/null
    for ns in "${CREATED_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
    local left
    left=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$P-" || true)
    if [[ -n $left ]]; then
        log "teardown: namespaces left behind: $left"
        status=1
    else
        log "teardown: namespaces, veth pairs and processes of $P removed"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Topology

add_ns() {
    ip netns add "$1"
    CREATED_NS+=("$1")
    ip -n "$1" link set lo up
}

build_topology() {
    add_ns "$SW"
    ip -n "$SW" link add br0 type bridge
    ip -n "$SW" link set br0 up
    for host in "${HOSTS[@]}"; do
        add_ns "$P-$host"
        ip -n "$SW" link add "p-$host" type veth peer name eth0 netns "$P-$host"
        ip -n "$SW" link set "p-$host" master br0
        ip -n "$SW" link set "p-$host" up
        ip -n "$P-$host" addr add "${ADDR[$host]}/24" dev eth0
        ip -n "$P-$host" link set eth0 up
    done
    log "topology: switch $SW; $(for h in "${HOSTS[@]}"; do printf '%s=%s ' "$P-$h" "${ADDR[$h]}"; done)"
}

# Cuts (down) or restores (up) a host's link at its switch port: the host keeps its address and its
# sockets, and packets in both directions are dropped, as when a cable or a top-of-rack port fails.
set_link() { ip -n "$SW" link set "p-$1" "$2"; }

# ---------------------------------------------------------------------------------------------
# Suite, token, processes

prepare_suite() {
    SUITE="$OUT/suite"
    rm -rf "$SUITE"
    python3 "$HERE/gen_suite.py" "$SUITE" --files 40 --tests 3 --sleep 0.3 --lease "${LEASE_S}s" --heartbeat 1s
    EXPECTED="$SUITE/expected.txt"
    TOKEN="$OUT/token"
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TOKEN")
    DB="$OUT/history.sqlite"
    rm -f "$DB" "$DB-wal" "$DB-shm"
    log "suite: $(wc -l <"$EXPECTED") tests in 40 files at $SUITE; db $DB"
}

# start_coordinator LOG REPORT_DIR [extra args...]: sets COORD_PID.
start_coordinator() {
    local logfile=$1 report=$2
    shift 2
    ip netns exec "$P-coord" "$BIN/testshard-coordinator" run \
        --config "$SUITE/testshard.toml" --listen "$COORD_ADDR" --token-file "$TOKEN" \
        --expect-workers 3 --db "$DB" --report-dir "$report" "$@" >"$logfile" 2>&1 &
    COORD_PID=$!
    log "coordinator pid $COORD_PID on ${ADDR[coord]}:$PORT (log $logfile)"
}

# start_worker HOST [extra args...]: one worker process in the host's namespace.
start_worker() {
    local host=$1
    shift
    ip netns exec "$P-$host" "$BIN/testshard-worker" \
        --coordinator "$COORD_ADDR" --root "$SUITE" --token-file "$TOKEN" --name "$host" --slots 1 \
        --scratch "$OUT/scratch-$host" "$@" >>"$OUT/$host.log" 2>&1 &
    log "worker $host pid $! on ${ADDR[$host]}"
}

start_workers() {
    for host in w1 w2 w3; do start_worker "$host" "$@"; done
}

# wait_for TIMEOUT_S DESCRIPTION COMMAND...: polls COMMAND every 0.1 s.
wait_for() {
    local timeout=$1 what=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@"; do
        ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for: $what"
        sleep 0.1
    done
}

# wait_coordinator TIMEOUT_S: waits for COORD_PID, sets COORD_RC.
wait_coordinator() {
    local timeout=$1 deadline=$((SECONDS + $1))
    while kill -0 "$COORD_PID" 2>/dev/null && [[ $(ps -o stat= -p "$COORD_PID" 2>/dev/null) != Z* ]]; do
        ((SECONDS < deadline)) || fail "the coordinator did not finish within ${timeout}s"
        sleep 0.2
    done
    COORD_RC=0
    wait "$COORD_PID" || COORD_RC=$?
}

# wait_workers_exit TIMEOUT_S: workers with --once leave after the drain.
wait_workers_exit() {
    local host deadline=$((SECONDS + $1))
    for host in w1 w2 w3; do
        while [[ -n $(ip netns pids "$P-$host") ]]; do
            if ((SECONDS >= deadline)); then
                log "worker $host still running ${1}s after the run ended: $(ip netns pids "$P-$host" | tr '\n' ' ')"
                return 1
            fi
            sleep 0.2
        done
    done
}

count() { grep -c -- "$2" "$1" 2>/dev/null || true; }  # count FILE PATTERN (0 when absent)
has_line() { grep -q -- "$2" "$1" 2>/dev/null; }
run_id_of() { sed -n 's/^testshard: run \([^:]*\):.*/\1/p' "$1" | head -1; }

# check_run REPORT_DIR: the inventory check; fails the scenario on any mismatch.
check_run() {
    local report=$1 output
    if output=$(python3 "$HERE/check_results.py" --expected "$EXPECTED" --run-dir "$report" --scenario "$SCENARIO"); then
        echo "$output"
    else
        echo "$output"
        fail "merged results differ from the inventory (see MISMATCH lines)"
    fi
}

# check_db: the database opens, is consistent, and `history` reads it.
check_db() {
    local integrity fk
    integrity=$(sqlite3 "$DB" 'PRAGMA integrity_check;' 2>&1) || fail "sqlite3 cannot open $DB: $integrity"
    fk=$(sqlite3 "$DB" 'PRAGMA foreign_key_check;' 2>&1) || fail "foreign_key_check failed: $fk"
    log "PRAGMA integrity_check = $integrity; foreign_key_check: ${fk:-no violations}"
    [[ $integrity == ok ]] || fail "integrity_check on $DB: $integrity"
    [[ -z $fk ]] || fail "foreign key violations in $DB: $fk"
    if ! "$BIN/testshard-coordinator" history --config "$SUITE/testshard.toml" --db "$DB" >"$OUT/history.txt" 2>&1; then
        cat "$OUT/history.txt"
        fail "testshard-coordinator history fails on $DB"
    fi
    log "testshard-coordinator history: ok ($(wc -l <"$OUT/history.txt") lines, $OUT/history.txt)"
}

# ---------------------------------------------------------------------------------------------
# Scenarios

scenario_baseline() {
    start_coordinator "$OUT/coordinator.log" "$OUT/run"
    start_workers --once
    wait_coordinator 300
    log "coordinator exit status $COORD_RC (0 = all passed)"
    [[ $COORD_RC == 0 ]] || fail "coordinator exit status $COORD_RC, expected 0"
    wait_workers_exit 30 || true
    check_run "$OUT/run"
}

scenario_worker_kill() {
    start_coordinator "$OUT/coordinator.log" "$OUT/run"
    start_workers --once
    wait_for 120 "w2 to start a shard" has_line "$OUT/w2.log" "running shard"
    local shard
    shard=$(sed -n 's/.*running shard \([^ ]*\).*/\1/p' "$OUT/w2.log" | head -1)
    # Mid-shard: pytest is running in w2 (the worker plus at least one child).
    wait_for 30 "pytest to run in w2" test "$(ip netns pids "$P-w2" | wc -l)" -ge 2
    sleep 2
    local pids
    pids=$(ip netns pids "$P-w2" | tr '\n' ' ')
    log "w2 runs shard $shard; SIGKILL to every process in $P-w2: $pids($(ps -o comm= -p "${pids// /,}" | tr '\n' ' '))"
    kill_namespace "$P-w2" KILL || fail "processes survive SIGKILL in $P-w2"
    log "w2 killed while running shard $shard; $(count "$OUT/w2.log" "finished shard") shard(s) of w2 had finished before"
    wait_coordinator 300
    log "coordinator exit status $COORD_RC"
    [[ $COORD_RC == 0 ]] || fail "coordinator exit status $COORD_RC, expected 0"
    wait_workers_exit 30 || true
    grep -E "worker lost with shards running|requeued|shard ended without a result" "$OUT/coordinator.log" | sed 's/^/  coordinator: /' || true
    has_line "$OUT/coordinator.log" "worker lost with shards running" ||
        fail "the coordinator did not log that w2 was lost with shards running"
    check_run "$OUT/run"
}

scenario_partition() {
    start_coordinator "$OUT/coordinator.log" "$OUT/run"
    start_workers --once
    wait_for 120 "w1 to start a shard" has_line "$OUT/w1.log" "running shard"
    local shard cut_at restored_at held
    shard=$(sed -n 's/.*running shard \([^ ]*\).*/\1/p' "$OUT/w1.log" | head -1)
    sleep 1
    set_link w1 down
    cut_at=$SECONDS
    log "cut w1's link (switch port p-w1 down) while it runs shard $shard"
    # Hold the cut for at least 2 × the lease, and until w1 has finished the shard, so its result
    # is written into a dead link and reaches the coordinator only after the lease expired.
    local min_hold=$((2 * LEASE_S))
    wait_for 120 "w1 to finish shard $shard during the cut" has_line "$OUT/w1.log" "finished shard $shard"
    while ((SECONDS - cut_at < min_hold)); do sleep 0.2; done
    set_link w1 up
    restored_at=$SECONDS
    held=$((restored_at - cut_at))
    log "restored w1's link after ${held}s (lease ${LEASE_S}s); w1 finished $shard during the cut"
    wait_coordinator 300
    log "coordinator exit status $COORD_RC"
    [[ $COORD_RC == 0 ]] || fail "coordinator exit status $COORD_RC, expected 0"
    wait_workers_exit 30 || true
    grep -E "lease|ignored|requeued|unresponsive|worker (joined|lost|left)|cancelling" "$OUT/coordinator.log" |
        sed 's/^/  coordinator: /' || true
    grep -E "shard|connection|joined|cancel" "$OUT/w1.log" | sed 's/^/  w1: /' || true
    local shard_re=${shard//#/.}
    has_line "$OUT/coordinator.log" "requeued" || fail "no requeue logged after w1's lease expired"
    grep -Eq "result from w1 for ${shard_re}.* ignored: late" "$OUT/coordinator.log" ||
        fail "no discard line for w1's late result of $shard"
    local joins
    joins=$(grep -c 'worker joined.*worker=w1' "$OUT/coordinator.log" || true)
    if ((joins > 1)); then
        log "w1 reconnected after the cut ($joins joins) and was accepted"
    else
        log "w1 kept its TCP connection through the cut (joined once); the coordinator fenced its late messages"
    fi
    log "w1 took $(awk -v s="$shard" 'f && /running shard/ {n++} /finished shard/ && index($0, s) {f=1} END {print n+0}' "$OUT/w1.log") more shard(s) after the cut"
    check_run "$OUT/run"
}

scenario_coordinator_restart() {
    "$BIN/testshard-coordinator" run --help 2>&1 | grep -q -- "--resume" ||
        fail "this testshard-coordinator has no run --resume"
    start_coordinator "$OUT/coordinator-1.log" "$OUT/run"
    # Persistent workers: they outlive the first coordinator and reconnect to the second.
    start_workers
    wait_for 180 "3 shard results" test "$(cat "$OUT"/w?.log | grep -c 'finished shard')" -ge 3
    local run_id
    run_id=$(run_id_of "$OUT/coordinator-1.log")
    [[ -n $run_id ]] || fail "no run id in $OUT/coordinator-1.log"
    sleep 1
    log "SIGKILL to the coordinator (pid $COORD_PID) of run $run_id after $(cat "$OUT"/w?.log | grep -c 'finished shard') shard results; workers: $(grep -h 'running shard' "$OUT"/w?.log | wc -l) shards started"
    kill_namespace "$P-coord" KILL || fail "the coordinator survives SIGKILL"
    wait_coordinator 10
    log "coordinator status $COORD_RC (137 = SIGKILL)"
    python3 "$HERE/resume_check.py" snapshot --db "$DB" --run-id "$run_id" --out "$OUT/before-kill.json" ||
        fail "cannot read what run $run_id recorded before the kill"
    sleep 2
    start_coordinator "$OUT/coordinator-2.log" "$OUT/run" --resume "$run_id"
    wait_coordinator 300
    log "resumed coordinator exit status $COORD_RC"
    sed -n '1,3p' "$OUT/coordinator-2.log" | sed 's/^/  coordinator-2: /'
    grep -E "worker joined|resum" "$OUT/coordinator-2.log" | sed 's/^/  coordinator-2: /' || true
    [[ $COORD_RC == 0 ]] || fail "resumed coordinator exit status $COORD_RC, expected 0"
    python3 "$HERE/resume_check.py" verify --db "$DB" --run-id "$run_id" --before "$OUT/before-kill.json" ||
        fail "the resumed run ran finished work again or counted a test twice"
    check_db
    check_run "$OUT/run"
}

scenario_sqlite_kill() {
    # Persistent workers join each coordinator in turn.
    start_workers
    local round k results=(1 3 6)
    for round in 1 2 3; do
        k=${results[$((round - 1))]}
        start_coordinator "$OUT/coordinator-$round.log" "$OUT/run-$round"
        local before
        before=$(cat "$OUT"/w?.log 2>/dev/null | grep -c 'finished shard' || true)
        python3 "$HERE/kill_on_write.py" --db "$DB" --pid "$COORD_PID" --logs "$OUT"/w1.log "$OUT"/w2.log "$OUT"/w3.log \
            --after-results $((before + k)) --timeout 240 >"$OUT/kill-$round.json" &
        local watcher=$!
        HELPER_PIDS+=("$watcher")
        wait "$watcher" || fail "round $round: $(cat "$OUT/kill-$round.json")"
        wait_coordinator 10
        log "round $round: coordinator SIGKILLed at its first database write after result $k of the run: $(cat "$OUT/kill-$round.json")"
        [[ $COORD_RC == 137 ]] || fail "round $round: coordinator status $COORD_RC, expected 137 (SIGKILL)"
        check_db
        grep -E "^\S" "$OUT/history.txt" | head -5 | sed 's/^/  history: /'
        sleep 1
    done
    # The database still takes a whole run.
    start_coordinator "$OUT/coordinator-final.log" "$OUT/run-final"
    wait_coordinator 300
    log "final run on the same database: coordinator exit status $COORD_RC"
    [[ $COORD_RC == 0 ]] || fail "final coordinator exit status $COORD_RC, expected 0"
    check_db
    check_run "$OUT/run-final"
}

# ---------------------------------------------------------------------------------------------

[[ $(id -u) == 0 ]] || fail "needs root (ip netns)"
for tool in ip sqlite3 python3 ps; do command -v "$tool" >/dev/null || fail "missing $tool"; done
[[ -x $BIN/testshard-coordinator && -x $BIN/testshard-worker ]] ||
    fail "no binaries in $BIN: run swift build -c release (or set TESTSHARD_BIN)"

log "start (binaries $BIN, output $OUT)"
build_topology
prepare_suite
started=$SECONDS
case $SCENARIO in
baseline) scenario_baseline ;;
worker-kill) scenario_worker_kill ;;
partition) scenario_partition ;;
coordinator-restart) scenario_coordinator_restart ;;
sqlite-kill) scenario_sqlite_kill ;;
*) fail "unknown scenario $SCENARIO (baseline, worker-kill, partition, coordinator-restart, sqlite-kill)" ;;
esac
echo "RESULT scenario=$SCENARIO status=PASS seconds=$((SECONDS - started))"

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
# Entries of the large durations file the sqlite-kill scenario imports (and kills mid-import).
BIG_DURATIONS=${TESTSHARD_NETNS_BIG_IMPORT:-20000}
PORT=7070

SCENARIO=${1:?usage: scenario.sh SCENARIO OUT_DIR}
OUT=${2:?usage: scenario.sh SCENARIO OUT_DIR}
# A fresh folder: the scenario counts lines in its logs, so nothing of an earlier run may remain.
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# Namespace names carry this script's pid (or run-all.sh's prefix) so parallel runs never meet.
P=${TESTSHARD_NETNS_PREFIX:-tsn$$}
SW="$P-sw"
HOSTS=(coord w1 w2 w3)
declare -A ADDR=([coord]="$SUBNET.1" [w1]="$SUBNET.11" [w2]="$SUBNET.12" [w3]="$SUBNET.13")
COORD_ADDR="${ADDR[coord]}:$PORT"
CREATED_NS=()
HELPER_PIDS=()

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "$SCENARIO" "$*"; }
# note TEXT: one line for run-all.sh's summary table ("what happened").
note() { echo "NOTE $*"; }
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
    # TERM everything at once (a worker hands back its shards and leaves), give it 2 s, then KILL.
    local pids
    pids=$(for ns in "${CREATED_NS[@]}"; do ip netns pids "$ns" 2>/dev/null; done)
    if [[ -n $pids ]]; then
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null
        for _ in $(seq 20); do
            [[ -z $(for ns in "${CREATED_NS[@]}"; do ip netns pids "$ns" 2>/dev/null; done) ]] && break
            sleep 0.1
        done
    fi
    for ns in "${CREATED_NS[@]}"; do
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
    python3 "$HERE/gen_suite.py" "$SUITE" --files 40 --tests 3 --sleep 0.3 --lease "${LEASE_S}s" --heartbeat 1s \
        --big-durations "$([[ $SCENARIO == sqlite-kill ]] && echo "$BIG_DURATIONS" || echo 0)"
    EXPECTED="$SUITE/expected.txt"
    TOKEN="$OUT/token"
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TOKEN")
    DB="$OUT/history.sqlite"
    rm -f "$DB" "$DB-wal" "$DB-shm"
    # History as a team that ran the suite before would have it: the planner then cuts the run into
    # a dozen shards of known length instead of a few big guesses.
    "$BIN/testshard-coordinator" import --config "$SUITE/testshard.toml" --db "$DB" \
        --format pytest-split "$SUITE/durations.json" >"$OUT/import.log" 2>&1 ||
        fail "seeding history failed: $(cat "$OUT/import.log")"
    SEED_SAMPLES=$(sed -n 's/^imported \([0-9]*\) durations.*/\1/p' "$OUT/import.log")
    log "suite: $(wc -l <"$EXPECTED") tests in 40 files at $SUITE; db $DB; $(cat "$OUT/import.log")"
}

# start_coordinator LOG REPORT_DIR [extra args...]: sets COORD_PID.
start_coordinator() {
    local logfile=$1 report=$2
    shift 2
    ip netns exec "$P-coord" "$BIN/testshard-coordinator" run \
        --config "$SUITE/testshard.toml" --listen "$COORD_ADDR" --token-file "$TOKEN" \
        --expect-workers 3 --log-level info --db "$DB" --report-dir "$report" "$@" >"$logfile" 2>&1 &
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

# wait_for TIMEOUT_S DESCRIPTION COMMAND...: polls COMMAND every 0.1 s (COMMAND runs anew each
# time: pass a function, not a "$(...)" that the caller would expand once).
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

# shard_results: how many shard results the workers' logs show so far.
shard_results() { cat "$OUT"/w?.log 2>/dev/null | grep -c 'finished shard' || true; }
# at_least N COMMAND...: COMMAND's output is a number ≥ N.
at_least() {
    local n=$1
    shift
    (($("$@") >= n))
}
ns_process_count() { ip netns pids "$1" | wc -l; }
count() { grep -c -- "$2" "$1" 2>/dev/null || true; }  # count FILE PATTERN (0 when absent)
has_line() { grep -q -- "$2" "$1" 2>/dev/null; }
run_id_of() { sed -n 's/^testshard: run \([^:]*\):.*/\1/p' "$1" | head -1; }

# check_run REPORT_DIR: the inventory check; fails the scenario on any mismatch.
check_run() {
    local report=$1 output
    if output=$(python3 "$HERE/check_results.py" --expected "$EXPECTED" --run-dir "$report" --scenario "$SCENARIO" \
        --executions "$SUITE/executions.log"); then
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
    wait_for 30 "pytest to run in w2" at_least 2 ns_process_count "$P-w2"
    sleep 2
    local pids
    pids=$(ip netns pids "$P-w2" | paste -sd, -)
    log "w2 runs shard $shard; SIGKILL to every process in $P-w2: $pids ($(ps -o comm= -p "$pids" | paste -sd' ' -))"
    kill_namespace "$P-w2" KILL || fail "processes survive SIGKILL in $P-w2"
    local ran_before
    ran_before=$(wc -l <"$SUITE/executions.log")
    log "w2 killed while running shard $shard; $(count "$OUT/w2.log" "finished shard") shard(s) of w2 had finished before; $ran_before test executions so far"
    wait_coordinator 300
    log "coordinator exit status $COORD_RC"
    [[ $COORD_RC == 0 ]] || fail "coordinator exit status $COORD_RC, expected 0"
    wait_workers_exit 30 || true
    grep -E "worker lost with shards running|requeued|shard ended without a result" "$OUT/coordinator.log" | sed 's/^/  coordinator: /' || true
    has_line "$OUT/coordinator.log" "worker lost with shards running" ||
        fail "the coordinator did not log that w2 was lost with shards running"
    grep -Eq "from=${shard//#/.}#[0-9]+ .*reason=worker lost.*requeued" "$OUT/coordinator.log" ||
        fail "the items of $shard were not requeued after w2 was lost"
    note "w2 (worker + pytest) SIGKILLed in $shard; lost, its items requeued"
    check_run "$OUT/run"
}

# first_shard_after HOST LINE_NUMBER: the first shard HOST started after that line of its log.
first_shard_after() { tail -n +"$(($2 + 1))" "$OUT/$1.log" | sed -n 's/.*running shard \([^ ]*\).*/\1/p' | head -1; }

scenario_partition() {
    # Two cuts in the same run, both longer than the lease:
    #  - w1's cut is shorter than TCP's patience: its connection survives, the shard it finishes
    #    during the cut sends its result into the dead link, and that result arrives after the lease
    #    expired: it must be discarded (fenced), and w1 must go on taking work.
    #  - w2's cut outlasts its TCP's patience: w2's host has net.ipv4.tcp_retries2 = 4 (its own
    #    namespace's setting; the default 15 means ~15 min), so its kernel gives up on the dead
    #    connection after ~6 s of unacknowledged heartbeats. w2 kills its shard, reconnects with
    #    backoff, and must be accepted back once the link returns.
    ip netns exec "$P-w2" sysctl -qw net.ipv4.tcp_retries2=4
    start_coordinator "$OUT/coordinator.log" "$OUT/run"
    start_workers --once
    wait_for 120 "w1 and w2 to start a shard" \
        bash -c "grep -q 'running shard' '$OUT/w1.log' && grep -q 'running shard' '$OUT/w2.log'"
    local s1 s2 cut_at held
    s1=$(first_shard_after w1 0)
    s2=$(first_shard_after w2 0)
    sleep 1
    set_link w1 down
    set_link w2 down
    cut_at=$SECONDS
    log "cut the links of w1 (running $s1) and w2 (running $s2) at their switch ports"
    wait_for 120 "w1 to finish $s1 during the cut" has_line "$OUT/w1.log" "finished shard $s1"
    wait_for 120 "w2's TCP to give up on the dead link" has_line "$OUT/w2.log" "connection lost; reconnecting"
    while ((SECONDS - cut_at < 2 * LEASE_S)); do sleep 0.2; done
    local w2_lines
    w2_lines=$(wc -l <"$OUT/w2.log")
    set_link w1 up
    set_link w2 up
    held=$((SECONDS - cut_at))
    log "restored both links after ${held}s (lease ${LEASE_S}s); w1 finished $s1 during the cut; w2 dropped its connection"
    wait_coordinator 300
    log "coordinator exit status $COORD_RC"
    wait_workers_exit 30 || true
    grep -E "requeued|ignored: late|worker (joined|lost|left)|refus|unresponsive" "$OUT/coordinator.log" |
        grep -Ev "heartbeat from" | sed -E 's/^[^ ]+ //; s/^/  coordinator: /' || true
    log "heartbeats of w1 fenced after the lease expired: $(grep -c "heartbeat from w1 .* ignored: late" "$OUT/coordinator.log" || true)"
    grep -E "shard|connection|joined|refused|reconnect" "$OUT/w2.log" | grep -v "cannot reach" |
        sed -E 's/^[^ ]+ //; s/^/  w2: /' || true
    [[ $COORD_RC == 0 ]] || fail "coordinator exit status $COORD_RC, expected 0"

    local s1_re=${s1//#/.} s2_re=${s2//#/.}
    grep -Eq "from=${s1_re}#[0-9]+ .*requeued" "$OUT/coordinator.log" || fail "$s1 was not requeued after w1's lease expired"
    grep -Eq "from=${s2_re}#[0-9]+ .*requeued" "$OUT/coordinator.log" || fail "$s2 was not requeued after w2's lease expired"
    grep -Eq "result from w1 for ${s1_re}.* ignored: late" "$OUT/coordinator.log" ||
        fail "no discard line for w1's late result of $s1"
    has_line "$OUT/w2.log" "refused this worker" && fail "the coordinator refused w2's reconnect"
    local w2_joins w1_after w2_after
    w2_joins=$(grep -Ec 'worker=w2 .*worker joined' "$OUT/coordinator.log" || true)
    ((w2_joins >= 2)) || fail "w2 did not join again after the cut (joins: $w2_joins)"
    w1_after=$(awk -v s="finished shard $s1" 'f && /running shard/ {n++} index($0, s) {f=1} END {print n+0}' "$OUT/w1.log")
    w2_after=$(tail -n +"$((w2_lines + 1))" "$OUT/w2.log" | grep -c 'running shard' || true)
    # Which side noticed first: the coordinator (the old connection was reset when the link came
    # back, "worker left") or the worker's reconnect (it replaced the silent connection).
    local how="the coordinator saw the old connection reset first"
    has_line "$OUT/coordinator.log" "worker reconnected; dropping its silent connection" &&
        how="its reconnect replaced the coordinator's silent old connection"
    log "w1 took $w1_after more shard(s) after its late result; w2 joined $w2_joins times ($how) and ran $w2_after shard(s) after"
    ((w2_after >= 1)) || log "note: w2 was accepted back but the queue was empty by then"
    note "cut ${held}s (lease ${LEASE_S}s): w1's late result of $s1 discarded, w2 rejoined ($how) and ran $w2_after shard(s)"
    check_run "$OUT/run"
}

scenario_coordinator_restart() {
    "$BIN/testshard-coordinator" run --help 2>&1 | grep -q -- "--resume" ||
        fail "this testshard-coordinator has no run --resume"
    start_coordinator "$OUT/coordinator-1.log" "$OUT/run"
    # Persistent workers: they outlive the first coordinator and reconnect to the second.
    start_workers
    wait_for 180 "3 shard results" at_least 3 shard_results
    local run_id
    run_id=$(run_id_of "$OUT/coordinator-1.log")
    [[ -n $run_id ]] || fail "no run id in $OUT/coordinator-1.log"
    sleep 1
    log "SIGKILL to the coordinator (pid $COORD_PID) of run $run_id after $(shard_results) shard results; workers: $(grep -h 'running shard' "$OUT"/w?.log | wc -l) shards started"
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
    python3 "$HERE/resume_check.py" verify --db "$DB" --run-id "$run_id" --before "$OUT/before-kill.json" \
        --executions "$SUITE/executions.log" | tee "$OUT/resume-check.txt" ||
        fail "the resumed run ran finished work again or counted a test twice"
    local done_before rerun
    done_before=$(sed -n 's/^RESUME items_done_before_kill=\([0-9]*\).*/\1/p' "$OUT/resume-check.txt")
    rerun=$(sed -n 's/^RESUME .*items_rerun_after_restart=\([0-9]*\).*/\1/p' "$OUT/resume-check.txt")
    note "coordinator SIGKILLed after $done_before of 40 files were final; resumed: $rerun of them rerun, their tests ran once"
    check_db
    check_run "$OUT/run"
}

# kill_at_write ROUND ARGS...: runs kill_on_write.py against COORD_PID, records its JSON line in
# $OUT/kill-ROUND.json; fails the scenario when no kill happened.
kill_at_write() {
    local round=$1
    shift
    python3 "$HERE/kill_on_write.py" --db "$DB" --pid "$COORD_PID" "$@" >"$OUT/kill-$round.json" &
    local watcher=$!
    HELPER_PIDS+=("$watcher")
    wait "$watcher" || fail "$round: $(cat "$OUT/kill-$round.json")"
}

# import_runs_not_whole N_BIG: import runs whose sample count is neither the seed's nor N_BIG.
import_runs_not_whole() {
    sqlite3 "$DB" "SELECT r.id || ' has ' || count(d.id) || ' samples' FROM run r LEFT JOIN duration_sample d ON d.run_id = r.id
        WHERE r.kind = 'import' GROUP BY r.id HAVING count(d.id) NOT IN ($SEED_SAMPLES, $1);"
}

scenario_sqlite_kill() {
    # Part 1, mid-run: the coordinator is SIGKILLed at its first history write after the workers
    # reported 2 shard results, the run is resumed on that database, the resumed coordinator is
    # killed the same way 2 results later, and a second resume finishes the run.
    start_workers
    local round run_id="" target
    for round in 1 2; do
        if ((round == 1)); then
            start_coordinator "$OUT/coordinator-1.log" "$OUT/run"
        else
            start_coordinator "$OUT/coordinator-$round.log" "$OUT/run" --resume "$run_id"
        fi
        target=$(($(shard_results) + 2))
        kill_at_write "run-$round" --logs "$OUT"/w1.log "$OUT"/w2.log "$OUT"/w3.log --after-results "$target" --timeout 240
        wait_coordinator 10
        [[ -n $run_id ]] || run_id=$(run_id_of "$OUT/coordinator-1.log")
        log "run $run_id, coordinator $round: SIGKILL at its first database write after worker result $target: $(cat "$OUT/kill-run-$round.json")"
        [[ $COORD_RC == 137 ]] || fail "coordinator $round: status $COORD_RC, expected 137 (SIGKILL)"
        check_db
    done
    start_coordinator "$OUT/coordinator-3.log" "$OUT/run" --resume "$run_id"
    wait_coordinator 300
    log "second resume of $run_id on the same database: coordinator exit status $COORD_RC; run row: $(sqlite3 "$DB" "SELECT status || ', resume_count ' || resume_count FROM run WHERE id = '$run_id'")"
    [[ $COORD_RC == 0 ]] || fail "resumed coordinator exit status $COORD_RC, expected 0"
    check_db
    check_run "$OUT/run"
    note "run killed twice at a history write, resumed twice, completed"

    # Part 2, a long write: `import` of a large durations file stores everything in one
    # transaction. A first import runs to the end (to learn how long it writes); then the same
    # import is SIGKILLed at 10 %, 40 % and 70 % of that time after its first write. Each import
    # must afterwards be whole or absent, never half there.
    local big="$SUITE/big-durations.json" import_log="$OUT/import-big.log" n_big writing frac delay
    ip netns exec "$P-coord" "$BIN/testshard-coordinator" import --config "$SUITE/testshard.toml" --db "$DB" \
        --format pytest-split "$big" >"$import_log" 2>&1 &
    COORD_PID=$!
    kill_at_write "import-whole" --wal-growth --observe --timeout 240
    wait_coordinator 240
    [[ $COORD_RC == 0 ]] || fail "the whole import failed (status $COORD_RC): $(cat "$import_log")"
    n_big=$(sed -n 's/^imported \([0-9]*\) durations.*/\1/p' "$import_log")
    writing=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds_writing'])" "$OUT/kill-import-whole.json")
    log "whole import: $(cat "$import_log"); wrote for ${writing}s"
    for frac in 0.1 0.4 0.7; do
        delay=$(python3 -c "print(round($writing * $frac, 3))")
        ip netns exec "$P-coord" "$BIN/testshard-coordinator" import --config "$SUITE/testshard.toml" --db "$DB" \
            --format pytest-split "$big" >"$import_log" 2>&1 &
        COORD_PID=$!
        kill_at_write "import-$frac" --wal-growth --delay-after-write "$delay" --timeout 240
        wait_coordinator 10
        log "import killed ${delay}s into its write (${frac} of ${writing}s): $(cat "$OUT/kill-import-$frac.json")"
        [[ $COORD_RC == 137 ]] || fail "import status $COORD_RC, expected 137 (SIGKILL)"
        check_db
        local partial
        partial=$(import_runs_not_whole "$n_big")
        [[ -z $partial ]] || fail "an import is half there after the kill: $partial"
    done
    local imports rolled_back
    imports=$(sqlite3 "$DB" "SELECT count(*) FROM run WHERE kind = 'import'")
    rolled_back=$((2 + 3 - imports))
    log "imports: 3 killed mid-write, $rolled_back left nothing (rolled back), $((3 - rolled_back)) whole (the kill came after the commit); samples per import run: $(sqlite3 "$DB" "SELECT group_concat(n, ', ') FROM (SELECT count(d.id) AS n FROM run r LEFT JOIN duration_sample d ON d.run_id = r.id WHERE r.kind = 'import' GROUP BY r.id ORDER BY n)")"
    note "import of $n_big samples killed 3 times mid-write: $rolled_back rolled back, $((3 - rolled_back)) whole; integrity_check ok each time"
    ((rolled_back >= 1)) || fail "no kill landed inside the import's transaction: the import is too short to test this (raise TESTSHARD_NETNS_BIG_IMPORT)"
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

import TestShardModel

/// Renders a `MetricsSnapshot` in the Prometheus text exposition format 0.0.4. Pure: the same
/// snapshot gives the same text, families always in the same order.
///
/// Every metric is prefixed `testshard_`; counters end in `_total`. Per-run metrics carry a
/// `run_id` label, so a new run starts new series instead of making counters go backwards;
/// `testshard_runs_*_total` and `testshard_build_info` describe the process and have none.
public enum PrometheusText {
    /// The `Content-Type` of the rendered text.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition text for `snapshot`, ending in a newline.
    public static func render(_ snapshot: MetricsSnapshot) -> String {
        var out = PrometheusTextWriter()
        let run = [("run_id", snapshot.runID)]

        // 1. The process.
        out.family("testshard_build_info", .gauge, help: "TestShard version of this coordinator; always 1.")
        out.sample("testshard_build_info", labels: [("version", TestShardVersion.current)], 1)
        out.family("testshard_runs_started_total", .counter, help: "Runs this coordinator started.")
        out.sample("testshard_runs_started_total", snapshot.runsStarted)
        out.family("testshard_runs_finished_total", .counter, help: "Runs this coordinator finished.")
        out.sample("testshard_runs_finished_total", snapshot.runsFinished)

        // 2. Where the run is: one series per phase, 1 for the current one (a state set, so a
        //    dashboard can graph time spent per phase and alert on `phase="stopping"`).
        out.family("testshard_run_phase", .gauge, help: "Phase of the run: 1 for the current phase, 0 for the others.")
        for phase in MetricsSnapshot.Phase.allCases {
            out.sample(
                "testshard_run_phase",
                labels: run + [("phase", phase.rawValue)],
                phase == snapshot.phase ? 1 : 0
            )
        }

        // 3. Progress and load (gauges).
        let gauges: [(name: String, help: String, value: Double?)] = [
            (
                "testshard_items", "Items (test files or isolation pieces) in the run's plan.",
                Double(snapshot.itemsTotal)
            ),
            ("testshard_items_final", "Items with a final result.", Double(snapshot.itemsFinal)),
            (
                "testshard_items_failed", "Final items that count against the run (failed, timed out, crashed).",
                Double(snapshot.itemsFailed)
            ),
            ("testshard_items_flaky", "Final items that passed only on a retry.", Double(snapshot.itemsFlaky)),
            (
                "testshard_queue_items", "Units of work waiting to be handed out (items and test retries).",
                Double(snapshot.queuedItems)
            ),
            (
                "testshard_queue_estimated_seconds", "Estimated seconds of the work waiting to be handed out.",
                snapshot.queuedEstimatedSeconds
            ),
            ("testshard_running_leases", "Shards handed out and not yet finished.", Double(snapshot.runningLeases)),
            ("testshard_workers_connected", "Workers connected now.", Double(snapshot.workersConnected)),
            ("testshard_slots", "Slots of the workers that may get work.", Double(snapshot.totalSlots)),
            ("testshard_slots_free", "Slots without a shard.", Double(snapshot.freeSlots)),
            // Without slots there is no estimate: the family is there, the sample is not.
            ("testshard_eta_seconds", "Estimated seconds until every slot is idle.", snapshot.etaSeconds),
        ]
        for gauge in gauges {
            out.family(gauge.name, .gauge, help: gauge.help)
            if let value = gauge.value { out.sample(gauge.name, labels: run, value) }
        }

        // 4. Events of the run (counters).
        let counters: [(name: String, help: String, value: Int)] = [
            (
                "testshard_requeues_total", "Shards put back in the queue (lease expired, worker lost).",
                snapshot.requeues
            ),
            (
                "testshard_discarded_messages_total", "Worker messages dropped as stale or unknown.",
                snapshot.discardedMessages
            ),
            ("testshard_retries_scheduled_total", "Test or item retries queued.", snapshot.retriesScheduled),
            (
                "testshard_auth_failures_total", "Connections refused for a wrong token or a failed handshake.",
                snapshot.authFailures
            ),
            ("testshard_workers_joined_total", "Workers that completed the handshake.", snapshot.workersJoined),
            ("testshard_workers_lost_total", "Workers that left without saying goodbye.", snapshot.workersLost),
            ("testshard_tests_recorded_total", "Test case results recorded.", snapshot.testsRecorded),
            ("testshard_tests_failed_total", "Test case results that failed or errored.", snapshot.testsFailed),
        ]
        for counter in counters {
            out.family(counter.name, .counter, help: counter.help)
            out.sample(counter.name, labels: run, counter.value)
        }

        // 5. Shard durations: cumulative buckets, the `+Inf` bucket equal to `_count`.
        let histogram = snapshot.shardDurations
        let name = "testshard_shard_duration_seconds"
        out.family(name, .histogram, help: "Wall time of finished shards, from hand-out to result.")
        for (bound, cumulative) in zip(histogram.upperBounds + [.infinity], histogram.cumulativeCounts) {
            out.sample(name + "_bucket", labels: run + [("le", PrometheusTextWriter.format(bound))], cumulative)
        }
        out.sample(name + "_sum", labels: run, histogram.sum)
        out.sample(name + "_count", labels: run, histogram.count)

        return out.text
    }
}

import Foundation
import TestShardModel

/// A unit's verdict in one run (report-anchors §8.1).
public enum RunVerdictCode: String, Codable, Sendable, Hashable {
    /// Every decided attempt passed.
    case pass = "P"
    /// Every decided attempt failed.
    case fail = "F"
    /// Both: run-flaky.
    case flaky = "K"
    /// Excluded: not run, skipped, failures all infrastructure/environment, or a mass-failure run.
    case excluded = "X"

    /// The verdict of a run's attempts; `excluded` forces `X`.
    public static func of(_ attempts: [TestStatus], excluded: Bool = false) -> RunVerdictCode {
        if excluded { return .excluded }
        var passed = false
        var failed = false
        for status in attempts {
            switch status {
            case .passed: passed = true
            case .failed, .error: failed = true
            case .skipped: break
            }
        }
        switch (passed, failed) {
        case (true, true): return .flaky
        case (true, false): return .pass
        case (false, true): return .fail
        case (false, false): return .excluded
        }
    }
}

/// One run of a unit as the scorer sees it.
public struct FlakinessRun: Sendable, Hashable {
    public var verdict: RunVerdictCode
    public var failedAttempts: Int
    public var decidedAttempts: Int

    public init(verdict: RunVerdictCode, failedAttempts: Int, decidedAttempts: Int) {
        self.verdict = verdict
        self.failedAttempts = failedAttempts
        self.decidedAttempts = decidedAttempts
    }

    /// From a run's attempt statuses.
    public init(attempts: [TestStatus], excluded: Bool = false) {
        self.verdict = RunVerdictCode.of(attempts, excluded: excluded)
        self.failedAttempts = attempts.filter(\.isFailure).count
        self.decidedAttempts = attempts.filter { $0 != .skipped }.count
    }
}

/// The flakiness of one unit over recent runs (report-anchors §8.2–§8.4).
public struct FlakinessScore: Codable, Sendable, Hashable {
    /// The label (§8.3); independent of the cause category and the history status.
    public enum Label: String, Codable, Sendable, Hashable {
        /// Fewer than 5 non-excluded verdicts.
        case insufficient
        /// Failing consistently (the last 3 verdicts F, or ≥ 6 of the last 10 F or K).
        case failing
        /// Enough flake evidence (≥ 2) and θ ≥ 1%.
        case flaky
        case stable
    }

    public var label: Label
    /// Posterior mean flake rate θ = (k + a) / (n + a + b).
    public var theta: Double
    /// 90% interval of θ: Beta quantiles 0.05 and 0.95.
    public var ci90Low: Double
    public var ci90High: Double
    /// Non-excluded verdicts.
    public var verdicts: Int
    /// n: summed recency weights of those verdicts.
    public var weightedRuns: Double
    /// Raw flake evidence count (run-flaky runs and isolated failures).
    public var evidence: Int
    /// k: weighted evidence.
    public var weightedEvidence: Double
    /// State changes / (verdicts − 1).
    public var flipRate: Double?
    /// Run-flaky runs / runs with a failed attempt.
    public var retryRecovery: Double?
    /// q: failed attempts / decided attempts.
    public var attemptFailureRate: Double?
    /// 1 − q²: the chance a failing test passes within two more attempts.
    public var passWithinTwo: Double?
}

/// Computes `FlakinessScore`s.
public enum FlakinessScorer {
    /// Scores a unit from its runs, newest first (index = age in runs; this run is index 0).
    public static func score(
        _ runs: [FlakinessRun],
        thresholds: ReportThresholds = ReportThresholds()
    ) -> FlakinessScore {
        let window = Array(runs.prefix(max(thresholds.window, 1)))
        // Positions (ages) of the non-excluded verdicts, newest first.
        let decided = window.enumerated().filter { $0.element.verdict != .excluded }
        let verdicts = decided.map(\.element.verdict)

        // 1. Evidence: run-flaky, or a failure isolated between passes.
        var evidence = 0
        var k = 0.0
        var n = 0.0
        for (position, entry) in decided.enumerated() {
            // A half-life of zero or less (a config slip) means no decay rather than NaN weights.
            let weight = thresholds.halfLifeRuns > 0 ? pow(0.5, Double(entry.offset) / thresholds.halfLifeRuns) : 1
            n += weight
            let isolated =
                entry.element.verdict == .fail && position > 0 && position + 1 < verdicts.count
                && verdicts[position - 1] == .pass && verdicts[position + 1] == .pass
            if entry.element.verdict == .flaky || isolated {
                evidence += 1
                k += weight
            }
        }

        // 2. Posterior and its interval.
        // The prior must be proper (both shapes positive) for the interval to exist.
        let a = max(thresholds.priorA, 1e-6)
        let b = max(thresholds.priorB, 1e-6)
        let theta = (k + a) / (n + a + b)
        let posterior = BetaDistribution(alpha: k + a, beta: max(n - k, 0) + b)

        // 3. Diagnostics.
        var flips = 0
        for i in verdicts.indices.dropFirst() where verdicts[i] != verdicts[i - 1] { flips += 1 }
        let failingRuns = verdicts.filter { $0 == .fail || $0 == .flaky }.count
        let flakyRuns = verdicts.filter { $0 == .flaky }.count
        let failedAttempts = decided.reduce(0) { $0 + $1.element.failedAttempts }
        let decidedAttempts = decided.reduce(0) { $0 + $1.element.decidedAttempts }
        let q = decidedAttempts > 0 ? Double(failedAttempts) / Double(decidedAttempts) : nil

        // 4. Label.
        let label: FlakinessScore.Label
        let newest = verdicts.prefix(thresholds.consecutiveFailures)
        let lastTen = verdicts.prefix(10)
        if verdicts.count < thresholds.minimumVerdicts {
            label = .insufficient
        } else if (newest.count == thresholds.consecutiveFailures && newest.allSatisfy { $0 == .fail })
            || lastTen.filter({ $0 == .fail || $0 == .flaky }).count >= thresholds.failuresOfLastTen
        {
            label = .failing
        } else if verdicts.count >= thresholds.recoveryPasses
            && verdicts.prefix(thresholds.recoveryPasses).allSatisfy({ $0 == .pass })
        {
            label = .stable
        } else if evidence >= thresholds.flakeEvidence && theta >= thresholds.flakeRate {
            label = .flaky
        } else {
            label = .stable
        }

        return FlakinessScore(
            label: label,
            theta: round4(theta),
            // 1e-7 is far below the 4 decimals kept.
            ci90Low: round4(posterior.quantile(0.05, tolerance: 1e-7)),
            ci90High: round4(posterior.quantile(0.95, tolerance: 1e-7)),
            verdicts: verdicts.count,
            weightedRuns: round4(n),
            evidence: evidence,
            weightedEvidence: round4(k),
            flipRate: verdicts.count > 1 ? round4(Double(flips) / Double(verdicts.count - 1)) : nil,
            retryRecovery: failingRuns > 0 ? round4(Double(flakyRuns) / Double(failingRuns)) : nil,
            attemptFailureRate: q.map(round4),
            passWithinTwo: q.map { round4(1 - $0 * $0) }
        )
    }
}

/// Rounds to 4 decimals so the JSON form is short and stable.
func round4(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
/// Rounds to 3 decimals (seconds).
func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

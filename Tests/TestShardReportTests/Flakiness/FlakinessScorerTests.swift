import Foundation
import TestShardModel
import Testing

@testable import TestShardReport

/// Labels and scores on constructed histories (newest first).
@Suite struct FlakinessScorerTests {
    func runs(_ verdicts: String) -> [FlakinessRun] {
        verdicts.map { code in
            switch code {
            case "P": FlakinessRun(attempts: [.passed])
            case "F": FlakinessRun(attempts: [.failed, .failed])
            case "K": FlakinessRun(attempts: [.failed, .passed])
            default: FlakinessRun(attempts: [])
            }
        }
    }

    @Test func alwaysPassingIsStable() {
        let score = FlakinessScorer.score(runs(String(repeating: "P", count: 30)))
        #expect(score.label == .stable)
        #expect(score.evidence == 0)
        let n = (0..<30).reduce(0.0) { $0 + pow(0.5, Double($1) / 10) }
        #expect(abs(score.weightedRuns - round4(n)) < 1e-9)
        #expect(abs(score.theta - round4(0.25 / (n + 5))) < 1e-9)
        #expect(score.ci90Low < score.theta && score.theta < score.ci90High)
        #expect(score.flipRate == 0)
        #expect(score.attemptFailureRate == 0)
    }

    @Test func aShortHistoryIsInsufficient() {
        #expect(FlakinessScorer.score(runs("PPPP")).label == .insufficient)
        #expect(FlakinessScorer.score(runs("FFF")).label == .insufficient)
        // Excluded runs do not count towards the minimum.
        #expect(FlakinessScorer.score(runs("PXPXPXP")).label == .insufficient)
        #expect(FlakinessScorer.score(runs("PXPXPXPP")).label == .stable)
    }

    @Test func alwaysFailingIsFailing() {
        let score = FlakinessScorer.score(runs(String(repeating: "F", count: 12)))
        #expect(score.label == .failing)
        #expect(score.evidence == 0)
        #expect(score.attemptFailureRate == 1)
        #expect(score.passWithinTwo == 0)
    }

    @Test func threeNewestFailuresAreFailingEvenAfterPasses() {
        #expect(FlakinessScorer.score(runs("FFF" + String(repeating: "P", count: 20))).label == .failing)
        #expect(FlakinessScorer.score(runs("FKFKFKPPPPPP")).label == .failing)
    }

    @Test func alternatingIsFlaky() {
        let score = FlakinessScorer.score(runs(String(repeating: "PF", count: 10)))
        #expect(score.label == .flaky)
        // Every failure with a pass on both sides is evidence; the oldest F has no older pass.
        #expect(score.evidence == 9)
        #expect(score.flipRate == 1)
        #expect(score.theta > 0.3)
    }

    @Test func aRetryPassIsFlakeEvidence() {
        let clean = FlakinessScorer.score(runs(String(repeating: "P", count: 20)))
        let once = FlakinessScorer.score(runs("K" + String(repeating: "P", count: 19)))
        #expect(once.evidence == 1)
        #expect(once.weightedEvidence == 1)
        #expect(once.theta > clean.theta)
        #expect(once.retryRecovery == 1)
        #expect(once.label == .stable)  // one piece of evidence is not enough (LUCI flake_threshold = 2)
        let twice = FlakinessScorer.score(runs("KPPPPKPPPP"))
        #expect(twice.evidence == 2)
        #expect(twice.label == .flaky)
        #expect(abs((twice.passWithinTwo ?? 0) - round4(1 - pow(2.0 / 12, 2))) < 1e-9)
    }

    @Test func tenCleanRunsClearTheFlakyLabel() {
        #expect(FlakinessScorer.score(runs(String(repeating: "P", count: 10) + "KPKPK")).label == .stable)
        #expect(FlakinessScorer.score(runs(String(repeating: "P", count: 9) + "KPKPK")).label == .flaky)
    }

    @Test func excludedRunsAreDroppedNotCountedAsPasses() {
        let score = FlakinessScorer.score(runs("XXXXXPPPPP"))
        #expect(score.verdicts == 5)
        // Weights follow the run's age, so dropped newer runs make the rest weigh less.
        #expect(score.weightedRuns < 5)
    }

    @Test func intervalIsTheBetaPosterior() {
        let score = FlakinessScorer.score(runs("KPPPPKPPPP"))
        let posterior = BetaDistribution(
            alpha: score.weightedEvidence + 0.25,
            beta: score.weightedRuns - score.weightedEvidence + 4.75
        )
        #expect(abs(score.ci90Low - round4(posterior.quantile(0.05))) < 2e-4)
        #expect(abs(score.ci90High - round4(posterior.quantile(0.95))) < 2e-4)
    }

    @Test func runVerdicts() {
        #expect(RunVerdictCode.of([.failed, .passed]) == .flaky)
        #expect(RunVerdictCode.of([.error]) == .fail)
        #expect(RunVerdictCode.of([.skipped]) == .excluded)
        #expect(RunVerdictCode.of([.passed], excluded: true) == .excluded)
    }
}

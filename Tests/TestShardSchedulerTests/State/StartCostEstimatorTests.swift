import Testing

@testable import TestShardScheduler

@Suite struct StartCostEstimatorTests {
    @Test func separatesStartCostFromPerItemOverhead() {
        var estimator = StartCostEstimator(initial: 1, weight: 0.1)
        for items in [1, 5, 20, 50, 3, 80, 10, 40] + [2, 30, 60, 7, 15, 25] {
            estimator.observe(items: items, overhead: 2 + 0.05 * Double(items))
        }
        #expect(abs(estimator.startCost - 2) < 0.25)
        #expect(abs(estimator.perItem - 0.05) < 0.01)
    }

    @Test func oneOutlierDoesNotBlowUpTheStartCost() {
        var estimator = StartCostEstimator(initial: 1, weight: 0.1)
        estimator.observe(items: 1, overhead: 1)
        estimator.observe(items: 1, overhead: 600)
        #expect(estimator.startCost < 3)
    }
}

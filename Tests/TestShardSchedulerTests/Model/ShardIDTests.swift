import Testing

@testable import TestShardScheduler

@Suite struct ShardIDTests {
    @Test func writesFourDigitsThenMore() {
        #expect(ShardID(number: 1).description == "s0001")
        #expect(ShardID(number: 12345).description == "s12345")
    }

    @Test func parsesOnlyTheWrittenForm() {
        #expect(ShardID("s0042") == ShardID(number: 42))
        #expect(ShardID("s") == nil)
        #expect(ShardID("x0001") == nil)
        #expect(ShardID("s-1") == nil)
        #expect(ShardID("s0000") == nil)
        #expect(ShardID("s１") == nil)
    }
}

@Suite struct SchedulerConfigurationTests {
    @Test func defaultsAreValid() throws {
        try SchedulerConfiguration().validate()
    }

    @Test func leaseShorterThanTwoHeartbeatsIsRejectedWithTheValues() {
        var configuration = SchedulerConfiguration()
        configuration.heartbeatInterval = 10
        configuration.leaseTimeout = 15
        #expect {
            try configuration.validate()
        } throws: { error in
            let error = error as? SchedulerConfigurationError
            return error?.code == .inconsistent && error?.message.contains("15") == true
        }
    }

    @Test func negativeRetriesAreRejected() {
        var configuration = SchedulerConfiguration()
        configuration.retries = -1
        #expect(throws: SchedulerConfigurationError.self) { try configuration.validate() }
    }

    @Test func maxBatchNeverExceedsAQuarterOfTheShardTimeout() {
        var configuration = SchedulerConfiguration()
        configuration.shardTimeout = 100
        configuration.maxBatchSeconds = 1000
        #expect(configuration.effectiveMaxBatchSeconds == 25)
    }
}

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

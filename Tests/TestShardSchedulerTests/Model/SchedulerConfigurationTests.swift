import TestShardScheduler
import Testing

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

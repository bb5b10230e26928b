import Foundation
import TestShardScheduler
import Testing

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

@Suite struct SchedulerCodingTests {
    @Test func aShardRecordSurvivesJSONForResume() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        )
        let record = try #require(actions.accepted.first)
        let data = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(ShardRecord.self, from: data) == record)
        #expect(String(decoding: data, as: UTF8.self).contains("\"s0001\""))
    }

    @Test func aBadShardIdIsADecodingError() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ShardID.self, from: Data("\"x1\"".utf8)) }
    }
}

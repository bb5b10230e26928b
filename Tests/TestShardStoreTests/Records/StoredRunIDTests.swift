import Testing

@testable import TestShardStore

@Suite("StoredRun.makeID")
struct RunRecordIDTests {
    @Test(arguments: [
        (0.0, "19700101-000000-ab12"),
        (1_795_660_700.9, "20261126-023820-ab12"),
        (951_782_400, "20000229-000000-ab12"),
        (4_102_444_799, "20991231-235959-ab12"),
        (-1, "19691231-235959-ab12"),
    ])
    func theIDIsTheUTCStartTimeAndTheSuffix(startedAt: Double, expected: String) {
        #expect(StoredRun.makeID(startedAt: startedAt, suffix: "ab12") == expected)
    }
}

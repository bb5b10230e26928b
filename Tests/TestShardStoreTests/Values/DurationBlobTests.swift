import Foundation
import Testing

@testable import TestShardStore

@Suite("DurationBlob")
struct DurationBlobTests {
    @Test(
        arguments: [[], [0], [12.5, 11.75, 13], [1e-7, 123_456_789.125, 0.1 + 0.2, .leastNonzeroMagnitude]]
            as [[Double]]
    )
    func windowsComeBackBitForBit(_ durations: [Double]) throws {
        let decoded = try DurationBlob.decode(DurationBlob.encode(durations))
        #expect(decoded.map(\.bitPattern) == durations.map(\.bitPattern))
    }

    @Test func valuesAreLittleEndianFloat64s() {
        #expect(DurationBlob.encode([1.0]) == Data([0, 0, 0, 0, 0, 0, 0xF0, 0x3F]))
    }

    @Test func aMissingBlobIsAnEmptyWindow() throws {
        #expect(try DurationBlob.decode(nil) == [])
    }

    @Test(arguments: [
        Data([1, 2, 3]), DurationBlob.encode([1]) + Data([0]), DurationBlob.encode([.nan]), DurationBlob.encode([-1]),
    ])
    func anythingElseIsReportedAsDamage(_ data: Data) {
        let error = #expect(throws: HistoryStoreError.self) { try DurationBlob.decode(data) }
        #expect(error?.code == .corrupt)
    }
}

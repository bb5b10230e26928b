import Testing

@testable import TestShardStore

/// The files that passed the preflight, remembered by size and modification time.
@Suite("HistoryStore preflight")
struct HistoryStorePreflightTests {
    @Test(arguments: StoreFlavor.allCases)
    func onlyAFileWithTheSameSizeAndTimeCountsAsClean(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        let a = FileStamp(size: 120, modifiedNanoseconds: 1_700_000_000_123_456_789)
        let b = FileStamp(size: 80, modifiedNanoseconds: 1_700_000_000_000_000_001)
        #expect(try store.preflightClean(["t/a.py": a]).isEmpty)

        try store.recordPreflight(clean: ["t/a.py": a, "t/b.py": b], failed: [], at: 10)
        #expect(try store.preflightClean(["t/a.py": a, "t/b.py": b, "t/c.py": a]) == ["t/a.py", "t/b.py"])
        // Edited: another size, or the same size at another time (to the nanosecond).
        #expect(
            try store.preflightClean(["t/a.py": FileStamp(size: 121, modifiedNanoseconds: a.modifiedNanoseconds)])
                .isEmpty
        )
        #expect(
            try store.preflightClean(["t/b.py": FileStamp(size: 80, modifiedNanoseconds: b.modifiedNanoseconds + 1)])
                .isEmpty
        )
        #expect(try store.preflightClean([:]).isEmpty)
    }

    @Test(arguments: StoreFlavor.allCases)
    func aNewStampReplacesTheOldAndAFailureForgetsTheFile(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        let old = FileStamp(size: 1, modifiedNanoseconds: 1)
        let new = FileStamp(size: 2, modifiedNanoseconds: 2)
        try store.recordPreflight(clean: ["t/a.py": old, "t/b.py": old], failed: [], at: 1)
        try store.recordPreflight(clean: ["t/a.py": new], failed: ["t/b.py", "t/never-seen.py"], at: 2)
        #expect(try store.preflightClean(["t/a.py": old]).isEmpty)
        #expect(try store.preflightClean(["t/a.py": new]) == ["t/a.py"])
        #expect(try store.preflightClean(["t/b.py": old]).isEmpty)
    }
}

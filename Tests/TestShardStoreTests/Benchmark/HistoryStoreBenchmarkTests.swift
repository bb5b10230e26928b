import Testing

@testable import TestShardStore

/// A small run of the benchmark: checks that it reads every window it seeded and prints the
/// timing (speed is shown by `testshard-bench` in release, never asserted here).
@Suite("HistoryStoreBenchmark")
struct HistoryStoreBenchmarkTests {
    @Test func theBenchmarkReadsEveryWindowItSeeded() throws {
        let folder = try TemporaryFolder()
        let figures = try HistoryStoreBenchmark.run(
            path: folder.path("bench.sqlite"),
            files: 300,
            testsPerFile: 4,
            samplesPerItem: 3,
            splitFiles: 5,
            repetitions: 3
        )
        print(figures)
        #expect(figures.windowsRead == [300, 300, 20])
        #expect(figures.samples == 300 * 5 * 3)
    }

    @Test func theBenchmarkRefusesToOverwriteADatabase() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("history.sqlite")
        _ = try HistoryStore(path: path)
        let error = #expect(throws: HistoryStoreError.self) { try HistoryStoreBenchmark.run(path: path, files: 1) }
        #expect(error?.code == .invalidValue)
    }
}

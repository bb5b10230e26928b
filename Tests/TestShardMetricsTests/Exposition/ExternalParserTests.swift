import Foundation
import Testing

@testable import TestShardMetrics

/// The rendered text read by the Prometheus project's own tools: the Python client's parser
/// (`prometheus_client.parser.text_string_to_metric_families`, PyPI `prometheus-client`) and
/// `promtool check metrics` (Debian `prometheus`), independent checks of what `ExpositionParser`
/// checks. Each test is skipped, with the reason in the test output, when its tool is missing.
@Suite struct ExternalParserTests {
    static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            families.append({
                "name": family.name,
                "type": family.type,
                "samples": [[s.name, s.labels, repr(float(s.value))] for s in family.samples],
            })
        print(json.dumps(families))
        """

    static var pythonClientAvailable: Bool {
        (try? run("python3", ["-c", "import prometheus_client"], input: "").status) == 0
    }

    static var promtoolAvailable: Bool {
        (try? run("promtool", ["--version"], input: "").status) == 0
    }

    struct Family: Decodable {
        var name: String
        var type: String
        var samples: [Sample]
    }

    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        var value: Double

        init(from decoder: any Decoder) throws {
            var fields = try decoder.unkeyedContainer()
            name = try fields.decode(String.self)
            labels = try fields.decode([String: String].self)
            let text = try fields.decode(String.self)
            guard let value = Double(text) else {
                throw DecodingError.dataCorruptedError(in: fields, debugDescription: "value \(text)")
            }
            self.value = value
        }
    }

    @Test(
        .enabled(
            if: pythonClientAvailable,
            "python3 with prometheus_client (pip install prometheus-client) is not installed"
        )
    )
    func pythonClientParserReadsEveryFamilyAndSample() throws {
        var snapshot = midRunSnapshot(runID: "nightly \"7\" \\ part\nb")
        snapshot.etaSeconds = nil
        let text = PrometheusText.render(snapshot)
        let result = try Self.run("python3", ["-c", Self.script], input: text)
        #expect(result.status == 0, "\(result.error)")
        let parsed = try JSONDecoder().decode([Family].self, from: Data(result.output.utf8))
        let ours = try ExpositionParser.parse(text)

        // The Python client names a counter family without its `_total`; the samples keep it.
        #expect(parsed.map(\.name) == ours.map { $0.type == "counter" ? String($0.name.dropLast(6)) : $0.name })
        #expect(parsed.map(\.type) == ours.map(\.type))
        for (theirs, mine) in zip(parsed, ours) {
            #expect(theirs.samples.map(\.name) == mine.samples.map(\.name), "\(mine.name)")
            #expect(theirs.samples.map(\.value) == mine.samples.map(\.value), "\(mine.name)")
            let myLabels = mine.samples.map { Dictionary(uniqueKeysWithValues: $0.labels.map { ($0.name, $0.value) }) }
            #expect(theirs.samples.map(\.labels) == myLabels, "\(mine.name)")
        }
        let runIDs = Set(parsed.flatMap(\.samples).compactMap { $0.labels["run_id"] })
        #expect(runIDs == [snapshot.runID])
    }

    @Test(.enabled(if: promtoolAvailable, "promtool (Debian package prometheus) is not installed"))
    func promtoolAcceptsTheTextWithoutLintProblems() throws {
        let text = PrometheusText.render(midRunSnapshot(runID: "nightly \"7\" \\ part\nb"))
        let result = try Self.run("promtool", ["check", "metrics"], input: text)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.isEmpty && result.error.isEmpty, "\(result.output)\(result.error)")
    }

    static func run(
        _ tool: String,
        _ arguments: [String],
        input: String
    ) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Read before waiting, so a full pipe cannot stall the child.
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self)
        )
    }
}

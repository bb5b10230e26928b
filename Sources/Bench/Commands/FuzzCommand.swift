import ArgumentParser
import Foundation
import TestShardProtocol

/// `testshard-bench fuzz`: hostile input through the coordinator's protocol stack (issue 6).
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Feed random and mutated frames through FrameDecoder → MessageCoder → the connection state machines."
    )

    @Option(help: "Inputs to try.") var inputs = 100_000
    @Option(help: "Seed (the same seed reproduces the run).") var seed: UInt64 = 0x7E57_5A4D

    func run() throws {
        print(Machine.describe())
        let run = Stopwatch.measure { ProtocolFuzzer.run(inputs: inputs, seed: seed) }
        print("seed: \(seed)")
        print(run.value.description)
        // Reaching this line is the "no crash" figure: a trap would have ended the process.
        print("crashes: 0 (the process completed)")
        print("time: \(Stopwatch.s(run.wall)) wall, \(Stopwatch.s(run.cpu)) CPU")
        if run.value.violationCount > 0 { throw ExitCode(1) }
    }
}

import TestShardProtocol
import Testing

@Suite struct ProtocolFuzzerTests {
    /// 5,000 random and mutated inputs through the decoder, the coder and both state machines: a
    /// debug build on a busy 2-core CI box takes a minute for 20,000. The benchmark form runs
    /// 100,000 in release (`testshard-bench fuzz`, docs/RELIABILITY.md).
    @Test func fiveThousandHostileInputsBreakNothing() {
        let summary = ProtocolFuzzer.run(inputs: 5_000, seed: 2024)
        #expect(summary.inputs == 5_000)
        #expect(summary.violationCount == 0, "\(summary)")

        // Every outcome is a message or a known, typed error.
        let decodeErrors: Set<ProtocolError.Code> = [
            .frameTooLarge, .emptyFrame, .invalidJSON, .unknownType, .missingField, .invalidField, .wrongVersion,
        ]
        let refusals: Set<ProtocolError.Code> = [.badMAC, .unexpectedMessage, .wrongVersion]
        for code in summary.decodeErrorsByCode.keys {
            #expect(decodeErrors.contains(ProtocolError.Code(rawValue: code)), "unexpected decode error \(code)")
        }
        for code in summary.closesByCode.keys {
            #expect(
                decodeErrors.union(refusals).contains(ProtocolError.Code(rawValue: code)),
                "unexpected close \(code)"
            )
        }

        // The mix reaches every kind of failure and every state, or it proves little.
        for code in decodeErrors {
            #expect(summary.decodeErrorsByCode[code.rawValue, default: 0] > 0, "no input produced \(code)")
        }
        for code in refusals {
            #expect(summary.closesByCode[code.rawValue, default: 0] > 0, "no connection was closed for \(code)")
        }
        for action in ["sendChallenge", "acceptWorker", "forward", "closeWithError", "unregisterWorker"] {
            #expect(summary.coordinatorActions[action, default: 0] > 0, "no input led to \(action)")
        }
        #expect(summary.messagesDecoded > summary.inputs, "most inputs carry several frames")
    }

    @Test func aSeedReproducesItsRun() {
        let a = ProtocolFuzzer.run(inputs: 300, seed: 7)
        let b = ProtocolFuzzer.run(inputs: 300, seed: 7)
        #expect(a.bytes == b.bytes)
        #expect(a.decodeErrorsByCode == b.decodeErrorsByCode)
        #expect(a.closesByCode == b.closesByCode)
        #expect(a.coordinatorActions == b.coordinatorActions)
    }
}

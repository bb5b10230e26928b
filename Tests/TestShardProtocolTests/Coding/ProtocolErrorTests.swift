import TestShardProtocol
import Testing

@Suite struct ProtocolErrorTests {
    @Test func theLogLineIsOneLineWhateverThePeerSent() {
        let error = ProtocolError(
            received: ErrorMessage(code: "bad_mac\nx", message: "line one\nline two\r\u{1B}[2J\u{2028}")
        )
        #expect(!error.description.contains("\n"))
        #expect(!error.description.contains("\r"))
        #expect(!error.description.contains("\u{1B}"))
        #expect(!error.description.contains("\u{2028}"))
        #expect(
            error.description
                == #"bad_mac\nx: the coordinator refused the connection: line one\nline two\r\u{1B}[2J\u{2028}"#
        )
    }

    @Test func theLogLineIsBounded() {
        let error = ProtocolError(code: .invalidField, message: String(repeating: "x", count: 100_000))
        #expect(error.description.count < 1100)
        #expect(error.description.hasSuffix("…"))
    }

    @Test func aRefusalKeepsTheCoordinatorsCodeSoTheWorkerCanJudgeIt() {
        #expect(ProtocolError(received: ErrorMessage(code: "bad_mac", message: "")).isFatalForWorker)
        #expect(ProtocolError(received: ErrorMessage(code: "wrong_version", message: "")).isFatalForWorker)
        #expect(ProtocolError(received: ErrorMessage(code: "worker_refused", message: "")).isFatalForWorker)
        #expect(!ProtocolError(received: ErrorMessage(code: "handshake_timeout", message: "")).isFatalForWorker)
        #expect(!ProtocolError(received: ErrorMessage(code: "shutting_down", message: "")).isFatalForWorker)
        #expect(!ProtocolError(received: ErrorMessage(code: "something_new", message: "")).isFatalForWorker)
    }

    @Test func anErrorFrameCarriesTheCodeAndMessage() {
        let error = ProtocolError(code: .badMAC, message: "worker \"a\" failed authentication")
        #expect(ErrorMessage(error) == ErrorMessage(code: "bad_mac", message: "worker \"a\" failed authentication"))
    }
}

import NIOCore
import TestShardModel

/// Throws hostile input at the protocol stack the coordinator runs for every connection —
/// `FrameDecoder` → `MessageCoder` → `CoordinatorConnectionStateMachine` (and the worker's machine
/// for what decodes) — and checks that every outcome is a message or a typed error and that the
/// state machine's answers keep the protocol's promises.
///
/// Inputs are random bytes, valid frames with byte-level mutations (bit flips, insertions,
/// deletions, truncation, a rewritten length field), valid JSON with structural mutations (a key
/// dropped, a value of the wrong type, a foreign or unknown `type`, unknown keys, deep nesting,
/// huge numbers), oversized and zero lengths, and several frames in one stream. Each input is fed
/// in random chunk sizes, after a random valid prefix (none, `hello`, or `hello` + a correct `auth`)
/// so that later states are reached too.
///
/// Checked for every input (a failure is a `violation`):
/// 1. a decode error always answers `closeWithError` carrying that error;
/// 2. `acceptWorker` only follows an `auth` whose MAC verifies for the `hello` before it;
/// 3. `forward` only after `acceptWorker`; nothing but `none` after the machine decided to close;
/// 4. `connectionClosed` answers `unregisterWorker` exactly when a worker was accepted;
/// 5. a decoded message re-encodes and decodes to itself.
///
/// A crash ends the process, so "crashes = 0" is the run completing. Deterministic for a seed.
public enum ProtocolFuzzer {
    /// What a fuzz run saw.
    public struct Summary: Sendable, CustomStringConvertible {
        /// Inputs tried.
        public var inputs = 0
        /// Bytes fed to the decoder.
        public var bytes = 0
        /// Frames that decoded to a message.
        public var messagesDecoded = 0
        /// Decode errors (frame or message), by `ProtocolError.Code` raw value.
        public var decodeErrorsByCode: [String: Int] = [:]
        /// Connections the coordinator's state machine closed (`closeWithError`), by code: decode
        /// errors plus refusals such as `bad_mac` and `unexpected_message`.
        public var closesByCode: [String: Int] = [:]
        /// Coordinator state machine answers, by action name.
        public var coordinatorActions: [String: Int] = [:]
        /// How many inputs broke one of the checked promises.
        public var violationCount = 0
        /// The first few violations, described.
        public var violations: [String] = []

        /// One line per figure, for a benchmark's output.
        public var description: String {
            var lines = [
                "inputs: \(inputs)",
                "bytes: \(bytes)",
                "messages decoded: \(messagesDecoded)",
                "violations: \(violationCount)",
            ]
            lines.append("decode errors: " + Self.counts(decodeErrorsByCode))
            lines.append("connections closed: " + Self.counts(closesByCode))
            lines.append("coordinator actions: " + Self.counts(coordinatorActions))
            lines.append(contentsOf: violations.map { "violation: \($0)" })
            return lines.joined(separator: "\n")
        }

        private static func counts(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    /// The generator behind a run: a seed reproduces it.
    public typealias SeededGenerator = SplitMix64

    /// Runs `inputs` inputs from `seed`. `limits` defaults to a 1 MiB frame limit so that
    /// "too large" is exercised cheaply; the handshake limit is the production one.
    public static func run(
        inputs: Int,
        seed: UInt64 = 0x7E57_5A4D,
        limits: FrameLimits = FrameLimits(maximumFrameLength: 1 << 20)
    ) -> Summary {
        var rng = SeededGenerator(seed: seed)
        var summary = Summary()
        let context = FuzzContext(limits: limits)
        for index in 0..<inputs {
            var input = FuzzInput.make(using: &rng, context: context)
            summary.inputs += 1
            summary.bytes += input.stream.count
            if let problem = exercise(&input, context: context, rng: &rng, summary: &summary) {
                summary.violationCount += 1
                if summary.violations.count < 20 {
                    summary.violations.append("input \(index) (\(input.kind)): \(problem)")
                }
            }
        }
        return summary
    }

    /// Feeds one input through the stack; returns a description of the first broken promise.
    private static func exercise(
        _ input: inout FuzzInput,
        context: FuzzContext,
        rng: inout SeededGenerator,
        summary: inout Summary
    ) -> String? {
        var frames = FrameDecoder(limits: context.limits)
        var machine = CoordinatorConnectionStateMachine(configuration: context.configuration, nonce: input.nonce)
        var worker = WorkerConnectionStateMachine(configuration: context.workerConfiguration)
        _ = worker.connected()
        var tracker = PromiseTracker(context: context, nonce: input.nonce)
        var buffer = ByteBufferAllocator().buffer(capacity: min(input.stream.count, 1 << 16))
        var offset = 0
        var open = true

        func record(_ action: CoordinatorConnectionStateMachine.Action) {
            summary.coordinatorActions[action.name, default: 0] += 1
            if case .closeWithError(let error) = action { summary.closesByCode[error.code.rawValue, default: 0] += 1 }
        }

        while open, offset < input.stream.count {
            let chunk = min(input.stream.count - offset, Int.random(in: 1...max(1, input.maximumChunk), using: &rng))
            buffer.writeBytes(input.stream[offset..<(offset + chunk)])
            offset += chunk
            while open {
                let message: ProtocolMessage
                do throws(ProtocolError) {
                    guard let frame = try frames.nextFrame(from: &buffer) else { break }
                    message = try context.coder.decode(frame)
                } catch {
                    summary.decodeErrorsByCode[error.code.rawValue, default: 0] += 1
                    _ = worker.decodeFailed(error)
                    let action = machine.decodeFailed(error)
                    record(action)
                    if let problem = tracker.checkDecodeFailure(error, action: action) { return problem }
                    open = false
                    break
                }
                summary.messagesDecoded += 1
                if let problem = roundTrip(message, context: context) { return problem }
                _ = worker.messageReceived(message)
                let action = machine.messageReceived(message)
                record(action)
                if let problem = tracker.check(message: message, action: action) { return problem }
            }
        }
        let closing = machine.connectionClosed()
        record(closing)
        _ = worker.connectionClosed()
        if let problem = tracker.checkClose(closing) { return problem }
        // Events after the close must be ignored.
        if machine.idleTimeout(seconds: 1) != .none { return "idleTimeout after close did not answer none" }
        return nil
    }

    private static func roundTrip(_ message: ProtocolMessage, context: FuzzContext) -> String? {
        do {
            let again = try context.roundTripCoder.decode(context.roundTripCoder.encode(message))
            return again == message ? nil : "\(message.type) did not survive re-encoding"
        } catch {
            return "\(message.type) decoded but does not re-encode: \(error)"
        }
    }
}

/// Fixed pieces shared by every input of a run.
struct FuzzContext {
    let limits: FrameLimits
    let coder: MessageCoder
    let roundTripCoder = MessageCoder(maximumFrameLength: FrameLimits.largestExpressibleFrameLength)
    let token: AuthToken
    let configuration: CoordinatorConnectionStateMachine.Configuration
    let workerConfiguration: WorkerConnectionStateMachine.Configuration

    init(limits: FrameLimits) {
        self.limits = limits
        self.coder = MessageCoder(maximumFrameLength: limits.maximumFrameLength)
        // The token is a fixed test value; `try!` cannot fail for 32 bytes.
        self.token = try! AuthToken(bytes: Array("fuzz-token-0123456789abcdef-0123".utf8))
        self.configuration = .init(runID: "fuzz-run", softwareVersion: "fuzz", token: token)
        self.workerConfiguration = .init(hello: FuzzMessages.hello(name: "fuzz-worker"), token: token)
    }
}

/// Tracks one connection's promises (see `ProtocolFuzzer`'s list) as events go by.
struct PromiseTracker {
    let context: FuzzContext
    let nonce: AuthNonce
    var hello: HelloMessage?
    var accepted = false
    var closing = false

    init(context: FuzzContext, nonce: AuthNonce) {
        self.context = context
        self.nonce = nonce
    }

    mutating func checkDecodeFailure(
        _ error: ProtocolError,
        action: CoordinatorConnectionStateMachine.Action
    ) -> String? {
        if closing {
            return action == .none ? nil : "decode error after close answered \(action.name)"
        }
        closing = true
        return action == .closeWithError(error) ? nil : "decode error \(error.code) answered \(action.name)"
    }

    mutating func check(message: ProtocolMessage, action: CoordinatorConnectionStateMachine.Action) -> String? {
        if closing {
            return action == .none ? nil : "\(message.type) after close answered \(action.name)"
        }
        switch action {
        case .none, .unregisterWorker:
            return "\(message.type) on an open connection answered \(action.name)"
        case .sendChallenge:
            guard case .hello(let hello) = message, self.hello == nil else {
                return "challenge sent for \(message.type) (hello seen before: \(self.hello != nil))"
            }
            self.hello = hello
        case .acceptWorker(let accepted):
            guard case .auth(let auth) = message, let hello, hello == accepted, !self.accepted,
                HandshakeAuthenticator.verify(
                    mac: auth.mac,
                    token: context.token,
                    nonce: nonce,
                    workerName: hello.workerName,
                    runID: context.configuration.runID
                )
            else { return "acceptWorker without a verified auth for the hello (after \(message.type))" }
            self.accepted = true
        case .forward:
            if !accepted { return "forwarded \(message.type) before acceptWorker" }
        case .closeWithError:
            closing = true
        }
        return nil
    }

    func checkClose(_ action: CoordinatorConnectionStateMachine.Action) -> String? {
        switch action {
        case .unregisterWorker(let hello):
            accepted && hello == self.hello ? nil : "unregistered a worker never accepted"
        case .none: accepted ? "an accepted worker was not unregistered" : nil
        default: "connectionClosed answered \(action.name)"
        }
    }
}

extension CoordinatorConnectionStateMachine.Action {
    /// The case name, for counting.
    var name: String {
        switch self {
        case .none: "none"
        case .sendChallenge: "sendChallenge"
        case .acceptWorker: "acceptWorker"
        case .forward: "forward"
        case .closeWithError: "closeWithError"
        case .unregisterWorker: "unregisterWorker"
        }
    }
}

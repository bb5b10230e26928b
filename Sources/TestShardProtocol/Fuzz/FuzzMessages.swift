import TestShardModel

/// Random but valid messages of every type, with awkward text (unicode, control characters,
/// quotes, long lines), for the fuzzer's mutations and round trips.
enum FuzzMessages {
    typealias Generator = ProtocolFuzzer.SeededGenerator

    static func hello(name: String) -> HelloMessage {
        HelloMessage(
            workerName: name,
            hostname: "fuzz.example",
            slots: 2,
            revision: nil,
            dirty: false,
            runner: "pytest",
            softwareVersion: "fuzz",
            pid: 4242
        )
    }

    static func random(using rng: inout Generator) -> ProtocolMessage {
        switch MessageType.allCases.randomElement(using: &rng)! {
        case .hello:
            return .hello(
                HelloMessage(
                    workerName: identifier(using: &rng),
                    hostname: identifier(using: &rng),
                    slots: Int.random(in: 1...HelloMessage.maximumSlots, using: &rng),
                    revision: Bool.random(using: &rng) ? nil : hex(20, using: &rng),
                    dirty: Bool.random(using: &rng),
                    runner: "pytest",
                    softwareVersion: identifier(using: &rng),
                    pid: Int.random(in: 0...Int(Int32.max), using: &rng)
                )
            )
        case .auth:
            return .auth(AuthMessage(mac: Bool.random(using: &rng) ? hex(32, using: &rng) : text(using: &rng)))
        case .heartbeat:
            return .heartbeat(HeartbeatMessage(running: attempts(using: &rng)))
        case .shardStarted:
            return .shardStarted(
                ShardStartedMessage(
                    shardID: identifier(using: &rng),
                    attempt: attempt(using: &rng),
                    slot: Int.random(in: 0...64, using: &rng),
                    command: texts(using: &rng),
                    startedAt: seconds(using: &rng)
                )
            )
        case .shardResult:
            return .shardResult(shardResult(using: &rng))
        case .refuse:
            return .refuse(
                RefuseMessage(
                    shardID: identifier(using: &rng),
                    attempt: attempt(using: &rng),
                    reason: text(using: &rng)
                )
            )
        case .goodbye:
            return .goodbye(GoodbyeMessage(reason: text(using: &rng), handedBack: attempts(using: &rng)))
        case .challenge:
            return .challenge(
                ChallengeMessage(
                    nonce: AuthNonce(using: &rng).base64,
                    runID: identifier(using: &rng),
                    softwareVersion: identifier(using: &rng)
                )
            )
        case .welcome:
            return .welcome(
                WelcomeMessage(
                    workerID: identifier(using: &rng),
                    heartbeatInterval: Double.random(in: 0.1...60, using: &rng),
                    leaseTimeout: Double.random(in: 1...600, using: &rng),
                    runID: identifier(using: &rng)
                )
            )
        case .assign:
            return .assign(
                AssignMessage(
                    shardID: identifier(using: &rng),
                    attempt: attempt(using: &rng),
                    items: (0...Int.random(in: 0...5, using: &rng)).map { _ in WorkItem(text(using: &rng)) },
                    timeoutSeconds: Double.random(in: 1...7200, using: &rng),
                    profile: Bool.random(using: &rng) ? nil : text(using: &rng)
                )
            )
        case .cancel:
            return .cancel(
                CancelMessage(
                    shardID: identifier(using: &rng),
                    attempt: attempt(using: &rng),
                    reason: text(using: &rng)
                )
            )
        case .drain:
            return .drain(DrainMessage(reason: text(using: &rng)))
        case .error:
            return .error(ErrorMessage(code: text(using: &rng), message: text(using: &rng)))
        }
    }

    static func shardResult(using rng: inout Generator) -> ShardResultMessage {
        let tests = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
            let status = TestStatus.allCases.randomElement(using: &rng)!
            return TestCaseResult(
                id: text(using: &rng),
                file: text(using: &rng),
                classname: text(using: &rng),
                name: text(using: &rng),
                status: status,
                duration: Double.random(in: 0...1000, using: &rng),
                failure: status.isFailure
                    ? TestFailure(
                        type: Bool.random(using: &rng) ? nil : text(using: &rng),
                        message: text(using: &rng),
                        details: text(using: &rng),
                        phase: [TestPhase.setup, .call, .teardown, .collection, nil].randomElement(using: &rng)!
                    ) : nil,
                skipReason: status == .skipped ? text(using: &rng) : nil
            )
        }
        return ShardResultMessage(
            shardID: identifier(using: &rng),
            attempt: attempt(using: &rng),
            slot: Int.random(in: 0...64, using: &rng),
            startedAt: seconds(using: &rng),
            endedAt: seconds(using: &rng),
            exit: ShardExit(
                kind: ShardExitKind.allCases.randomElement(using: &rng)!,
                code: Bool.random(using: &rng) ? Int32.random(in: -255...255, using: &rng) : nil,
                signal: Bool.random(using: &rng) ? Int32.random(in: 1...64, using: &rng) : nil,
                reason: Bool.random(using: &rng) ? text(using: &rng) : nil
            ),
            tests: tests,
            itemsWithoutResults: (0..<Int.random(in: 0...2, using: &rng)).map { _ in WorkItem(text(using: &rng)) },
            itemsWithoutTests: (0..<Int.random(in: 0...2, using: &rng)).map { _ in WorkItem(text(using: &rng)) },
            lastStartedItem: Bool.random(using: &rng) ? WorkItem(text(using: &rng)) : nil,
            logTail: texts(using: &rng),
            command: texts(using: &rng),
            junitState: JUnitState.allCases.randomElement(using: &rng)!
        )
    }

    // MARK: - Pieces

    /// Characters chosen to trouble encoders and logs: quotes, backslashes, controls, NUL, line
    /// separators, combining marks, emoji, right-to-left text.
    private static let awkward: [String] = [
        "a", "Z", "0", " ", "/", "::", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}[31m", "\u{7F}", "\u{85}",
        "\u{2028}", "é", "e\u{301}", "ß", "日本", "🧪", "👩🏽‍💻", "\u{202E}", "\u{FEFF}", "{", "}", "[", "]", ",", ":",
    ]

    static func text(using rng: inout Generator) -> String {
        let count = Int.random(in: 0...12, using: &rng)
        var out = ""
        for _ in 0..<count { out += awkward.randomElement(using: &rng)! }
        if Int.random(in: 0..<50, using: &rng) == 0 {
            out += String(repeating: "long error text ", count: Int.random(in: 10...400, using: &rng))
        }
        return out
    }

    static func texts(using rng: inout Generator) -> [String] {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in text(using: &rng) }
    }

    static func identifier(using rng: inout Generator) -> String {
        "s" + String(Int.random(in: 0...99_999, using: &rng))
    }

    static func attempt(using rng: inout Generator) -> Int {
        Int.random(in: 1...5, using: &rng)
    }

    static func attempts(using rng: inout Generator) -> [ShardAttemptRef] {
        (0..<Int.random(in: 0...3, using: &rng)).map { _ in
            ShardAttemptRef(shardID: identifier(using: &rng), attempt: attempt(using: &rng))
        }
    }

    static func seconds(using rng: inout Generator) -> Double {
        1_700_000_000 + Double.random(in: 0...10_000_000, using: &rng)
    }

    static func hex(_ byteCount: Int, using rng: inout Generator) -> String {
        Hex.encode((0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }
}

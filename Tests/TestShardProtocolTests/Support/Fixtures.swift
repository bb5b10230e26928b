import NIOCore
import TestShardModel
import TestShardProtocol

/// Messages, tokens and frames shared by the tests.
enum Fixtures {
    static let token = try! AuthToken(bytes: Array("0123456789abcdef0123456789abcdef".utf8))
    static let otherToken = try! AuthToken(bytes: Array("fedcba9876543210fedcba9876543210".utf8))
    static let runID = "run-2024-11-26"
    static let nonce = AuthNonce(bytes: Array(0..<32))!

    static let hello = HelloMessage(
        workerName: "ci-worker-3",
        hostname: "ci-3.example",
        slots: 4,
        revision: "9fceb02d0ae598e95dc970b74767f19372d61af8",
        dirty: false,
        runner: "pytest",
        softwareVersion: "0.1.0",
        pid: 4242
    )

    static let challenge = ChallengeMessage(nonce: nonce.base64, runID: runID, softwareVersion: "0.1.0")

    static let welcome = WelcomeMessage(workerID: "w3", heartbeatInterval: 5, leaseTimeout: 30, runID: runID)

    static let assign = AssignMessage(
        shardID: "s0042",
        attempt: 1,
        items: ["tests/api/test_users.py", "tests/big/test_slow.py::TestSlow::test_one"],
        timeoutSeconds: 1200,
        profile: nil
    )

    /// A result with everything that troubles an encoder: unicode, control characters, quotes,
    /// backslashes, a NUL, escape sequences, a long traceback.
    static let shardResult = ShardResultMessage(
        shardID: "s0042",
        attempt: 2,
        slot: 1,
        startedAt: 1_732_590_000.25,
        endedAt: 1_732_590_042.5,
        exit: ShardExit(kind: .testsFailed, code: 1),
        tests: [
            TestCaseResult(
                id: "tests/api/test_users.py::test_create",
                file: "tests/api/test_users.py",
                classname: "tests.api.test_users",
                name: "test_create",
                status: .passed,
                duration: 0.125
            ),
            TestCaseResult(
                id: "tests/api/test_ünïcödé.py::test_日本[🧪-\"quoted\"]",
                file: "tests/api/test_ünïcödé.py",
                classname: "tests.api.test_ünïcödé",
                name: "test_日本[🧪-\"quoted\"]",
                status: .failed,
                duration: 3.5,
                failure: TestFailure(
                    type: "AssertionError",
                    message: "assert 'a\\tb' == 'a\tb'\u{0}\u{1B}[31mred\u{1B}[0m",
                    details: String(repeating: "Traceback line with \\backslash and \"quotes\"\r\n", count: 2_000),
                    phase: .call
                )
            ),
            TestCaseResult(
                id: "tests/api/test_skip.py::test_later",
                file: "tests/api/test_skip.py",
                classname: "tests.api.test_skip",
                name: "test_later",
                status: .skipped,
                duration: 0,
                skipReason: "needs docker\u{2028}(second line)"
            ),
        ],
        itemsWithoutResults: ["tests/api/test_never.py"],
        itemsWithoutTests: ["tests/api/test_empty.py"],
        lastStartedItem: "tests/api/test_ünïcödé.py",
        logTail: ["collected 3 items", "FAILED tests/api/test_ünïcödé.py::test_日本 - AssertionError", "\u{7F}\u{85}"],
        command: ["python3", "-m", "pytest", "--junitxml=/tmp/j.xml", "tests/api/test_users.py"],
        junitState: .ok,
        fileSeconds: ["tests/api/test_users.py": 0.5, "tests/api/test_ünïcödé.py": 3.75]
    )

    /// The fixture of `type` (tests are parameterized by type: a message's description is long).
    static func message(_ type: MessageType) -> ProtocolMessage {
        everyMessage.first { $0.type == type }!
    }

    /// One message of every type.
    static let everyMessage: [ProtocolMessage] = [
        .hello(hello),
        .auth(AuthMessage(mac: String(repeating: "ab", count: 32))),
        .heartbeat(HeartbeatMessage(running: [ShardAttemptRef(shardID: "s0042", attempt: 2)])),
        .shardStarted(
            ShardStartedMessage(
                shardID: "s0042",
                attempt: 2,
                slot: 1,
                command: ["python3", "-m", "pytest"],
                startedAt: 1_732_590_000.25
            )
        ),
        .shardResult(shardResult),
        .refuse(RefuseMessage(shardID: "s0043", attempt: 1, reason: "item '../etc/passwd' is outside the root")),
        .goodbye(GoodbyeMessage(reason: "SIGTERM", handedBack: [ShardAttemptRef(shardID: "s0044", attempt: 1)])),
        .challenge(challenge),
        .welcome(welcome),
        .assign(assign),
        .cancel(CancelMessage(shardID: "s0042", attempt: 1, reason: "lease expired")),
        .drain(DrainMessage(reason: "run complete")),
        .error(ErrorMessage(code: "bad_mac", message: "wrong token")),
    ]

    /// `body` behind a 4-byte big-endian length.
    static func frame(_ body: [UInt8]) -> [UInt8] {
        let n = UInt32(body.count)
        return [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)] + body
    }

    static func frame(_ json: String) -> [UInt8] {
        frame(Array(json.utf8))
    }

    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: bytes)
    }

    /// The MAC a worker holding `token` computes for the fixtures' nonce and run.
    static func mac(token: AuthToken = token, name: String = hello.workerName, nonce: AuthNonce = nonce) -> String {
        HandshakeAuthenticator.mac(token: token, nonce: nonce, workerName: name, runID: runID)
    }
}

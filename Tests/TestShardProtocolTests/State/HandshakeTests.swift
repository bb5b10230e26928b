import NIOCore
import TestShardProtocol
import Testing

/// Both state machines talking to each other through real frames, as the two shells will.
@Suite struct HandshakeTests {
    /// A one-way pipe: frames written by one side, decoded by the other's decoder.
    struct Pipe {
        var decoder = ProtocolMessageDecoder()
        var buffer = ByteBuffer()

        mutating func send(_ message: ProtocolMessage) throws {
            try MessageCoder().encodeFrame(message, into: &buffer)
        }

        mutating func receive() throws -> ProtocolMessage? {
            try decoder.nextMessage(from: &buffer)
        }
    }

    /// Runs the handshake between a worker holding `workerToken` and the coordinator; returns the
    /// last actions of each side.
    static func handshake(
        workerToken: AuthToken
    ) throws -> (
        coordinator: CoordinatorConnectionStateMachine.Action, worker: WorkerConnectionStateMachine.Action
    ) {
        var coordinator = CoordinatorConnectionStateMachine(
            configuration: .init(runID: Fixtures.runID, softwareVersion: "0.2.0", token: Fixtures.token),
            nonce: AuthNonce(bytes: Array(100..<132))!
        )
        var worker = WorkerConnectionStateMachine(configuration: .init(hello: Fixtures.hello, token: workerToken))
        var toCoordinator = Pipe()
        var toWorker = Pipe()

        guard case .sendHello(let hello) = worker.connected() else { throw Failure("no hello") }
        try toCoordinator.send(.hello(hello))
        guard case .sendChallenge(let challenge) = coordinator.messageReceived(try toCoordinator.receive()!) else {
            throw Failure("no challenge")
        }
        try toWorker.send(.challenge(challenge))
        guard case .sendAuth(let auth) = worker.messageReceived(try toWorker.receive()!) else {
            throw Failure("no auth")
        }
        try toCoordinator.send(.auth(auth))
        let decision = coordinator.messageReceived(try toCoordinator.receive()!)
        switch decision {
        case .acceptWorker:
            let welcome = WelcomeMessage(workerID: "w1", heartbeatInterval: 5, leaseTimeout: 30, runID: Fixtures.runID)
            try toWorker.send(.welcome(welcome))
        case .closeWithError(let error):
            try toWorker.send(.error(ErrorMessage(error)))
        default:
            throw Failure("unexpected \(decision)")
        }
        return (decision, worker.messageReceived(try toWorker.receive()!))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func aWorkerWithTheTokenGetsIn() throws {
        let (coordinator, worker) = try Self.handshake(workerToken: Fixtures.token)
        #expect(coordinator == .acceptWorker(Fixtures.hello))
        guard case .ready(let welcome) = worker else {
            Issue.record("worker not ready: \(worker)")
            return
        }
        #expect(welcome.workerID == "w1")
    }

    @Test func aWorkerWithAnotherTokenIsRefusedAndGivesUp() throws {
        let (coordinator, worker) = try Self.handshake(workerToken: Fixtures.otherToken)
        guard case .closeWithError(let error) = coordinator else {
            Issue.record("coordinator did not refuse: \(coordinator)")
            return
        }
        #expect(error.code == .badMAC)
        guard case .fail(let received, let fatal) = worker else {
            Issue.record("worker did not fail: \(worker)")
            return
        }
        #expect(received.code == .badMAC)
        #expect(fatal)
        #expect(
            received.description.hasPrefix("bad_mac: the coordinator refused the connection: worker \"ci-worker-3\"")
        )
    }
}

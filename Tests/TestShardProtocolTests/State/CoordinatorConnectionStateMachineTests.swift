import TestShardProtocol
import Testing

@Suite struct CoordinatorConnectionStateMachineTests {
    typealias Machine = CoordinatorConnectionStateMachine

    static let configuration = Machine.Configuration(
        runID: Fixtures.runID,
        softwareVersion: "0.2.0",
        token: Fixtures.token
    )

    static func fresh() -> Machine {
        Machine(configuration: configuration, nonce: Fixtures.nonce)
    }

    static func awaitingAuth() -> Machine {
        var machine = fresh()
        _ = machine.messageReceived(.hello(Fixtures.hello))
        return machine
    }

    static func authenticated() -> Machine {
        var machine = awaitingAuth()
        _ = machine.messageReceived(.auth(AuthMessage(mac: Fixtures.mac())))
        return machine
    }

    static let heartbeat = ProtocolMessage.heartbeat(
        HeartbeatMessage(running: [ShardAttemptRef(shardID: "s1", attempt: 1)])
    )

    func code(_ action: Machine.Action) -> ProtocolError.Code? {
        if case .closeWithError(let error) = action { return error.code }
        return nil
    }

    func message(_ action: Machine.Action) -> String? {
        if case .closeWithError(let error) = action { return error.message }
        return nil
    }

    // MARK: - Handshake

    @Test func helloIsAnsweredWithAChallengeCarryingTheNonceAndRun() {
        var machine = Self.fresh()
        #expect(
            machine.messageReceived(.hello(Fixtures.hello))
                == .sendChallenge(
                    ChallengeMessage(
                        protocolVersion: 1,
                        nonce: Fixtures.nonce.base64,
                        runID: Fixtures.runID,
                        softwareVersion: "0.2.0"
                    )
                )
        )
    }

    @Test func aCorrectAuthAcceptsTheWorker() {
        var machine = Self.awaitingAuth()
        #expect(machine.messageReceived(.auth(AuthMessage(mac: Fixtures.mac()))) == .acceptWorker(Fixtures.hello))
        #expect(machine.isAuthenticated)
    }

    @Test func aHelloOfAnotherVersionIsRefused() {
        var machine = Self.fresh()
        var hello = Fixtures.hello
        hello.protocolVersion = 2
        let action = machine.messageReceived(.hello(hello))
        #expect(code(action) == .wrongVersion)
        #expect(message(action)?.hasPrefix("the worker speaks protocol version 2, this side speaks 1") == true)
    }

    @Test func aWrongMACIsRefusedNamingTheWorkerButNotTheMAC() {
        var machine = Self.awaitingAuth()
        let wrong = Fixtures.mac(token: Fixtures.otherToken)
        let action = machine.messageReceived(.auth(AuthMessage(mac: wrong)))
        #expect(code(action) == .badMAC)
        #expect(message(action)?.contains(#""ci-worker-3""#) == true)
        #expect(message(action)?.contains(wrong) == false)
        #expect(!machine.isAuthenticated)
    }

    @Test func anAuthComputedForAnotherConnectionsNonceIsRefused() {
        // A captured auth from an earlier connection (another nonce) cannot be replayed here.
        let otherNonce = AuthNonce(bytes: Array(repeating: 9, count: 32))!
        var machine = Self.awaitingAuth()
        let action = machine.messageReceived(.auth(AuthMessage(mac: Fixtures.mac(nonce: otherNonce))))
        #expect(code(action) == .badMAC)
    }

    @Test func aSecondAuthAfterAcceptanceIsAReplayAndClosesTheConnection() {
        var machine = Self.authenticated()
        let action = machine.messageReceived(.auth(AuthMessage(mac: Fixtures.mac())))
        #expect(code(action) == .unexpectedMessage)
        #expect(message(action) == #"unexpected "auth" message after authentication: a replayed handshake is refused"#)
    }

    @Test func aSecondHelloAfterAcceptanceIsRefused() {
        var machine = Self.authenticated()
        #expect(code(machine.messageReceived(.hello(Fixtures.hello))) == .unexpectedMessage)
    }

    @Test func aSecondHelloDuringTheHandshakeIsRefused() {
        var machine = Self.awaitingAuth()
        #expect(code(machine.messageReceived(.hello(Fixtures.hello))) == .unexpectedMessage)
    }

    @Test func authBeforeHelloIsRefused() {
        var machine = Self.fresh()
        let action = machine.messageReceived(.auth(AuthMessage(mac: Fixtures.mac())))
        #expect(message(action) == #"unexpected "auth" message before hello: there is no challenge to answer yet"#)
    }

    @Test(arguments: [MessageType.heartbeat, .shardStarted, .shardResult, .refuse, .goodbye])
    func workMessagesBeforeAuthenticationAreRefused(_ type: MessageType) {
        let message = Fixtures.message(type)
        var beforeHello = Self.fresh()
        #expect(code(beforeHello.messageReceived(message)) == .unexpectedMessage)
        var beforeAuth = Self.awaitingAuth()
        #expect(code(beforeAuth.messageReceived(message)) == .unexpectedMessage)
    }

    @Test func coordinatorMessagesFromAWorkerAreRefused() {
        var machine = Self.authenticated()
        let action = machine.messageReceived(.assign(Fixtures.assign))
        #expect(message(action) == #"unexpected "assign" message from a worker: only the coordinator sends it"#)
    }

    // MARK: - After authentication

    @Test func reportsAreForwarded() {
        var machine = Self.authenticated()
        #expect(
            machine.messageReceived(Self.heartbeat)
                == .forward(.heartbeat(HeartbeatMessage(running: [ShardAttemptRef(shardID: "s1", attempt: 1)])))
        )
        #expect(
            machine.messageReceived(.shardResult(Fixtures.shardResult)) == .forward(.shardResult(Fixtures.shardResult))
        )
    }

    @Test func afterGoodbyeNothingMoreIsAccepted() {
        var machine = Self.authenticated()
        let goodbye = GoodbyeMessage(reason: "SIGTERM", handedBack: [ShardAttemptRef(shardID: "s1", attempt: 1)])
        #expect(machine.messageReceived(.goodbye(goodbye)) == .forward(.goodbye(goodbye)))
        #expect(code(machine.messageReceived(Self.heartbeat)) == .unexpectedMessage)
    }

    // MARK: - Errors, timeouts, closing

    @Test func aDecodeErrorClosesWithThatError() {
        var machine = Self.fresh()
        let error = ProtocolError(code: .invalidJSON, message: "x")
        #expect(machine.decodeFailed(error) == .closeWithError(error))
    }

    @Test func onceClosingEverythingElseIsIgnored() {
        var machine = Self.fresh()
        _ = machine.decodeFailed(ProtocolError(code: .invalidJSON, message: "x"))
        #expect(machine.messageReceived(.hello(Fixtures.hello)) == .none)
        #expect(machine.decodeFailed(ProtocolError(code: .invalidJSON, message: "y")) == .none)
        #expect(machine.idleTimeout(seconds: 10) == .none)
        #expect(machine.closeRequested(ProtocolError(code: .shuttingDown, message: "z")) == .none)
    }

    @Test func aSlowHandshakeTimesOut() {
        var machine = Self.awaitingAuth()
        let action = machine.idleTimeout(seconds: 10)
        #expect(code(action) == .handshakeTimeout)
        #expect(message(action) == "the handshake did not complete within 10s; a worker sends hello and auth at once")
    }

    @Test func aSilentWorkerTimesOutNamingIt() {
        var machine = Self.authenticated()
        let action = machine.idleTimeout(seconds: 90)
        #expect(code(action) == .idleTimeout)
        #expect(message(action)?.contains(#"worker "ci-worker-3" sent nothing for 1m30s"#) == true)
    }

    @Test func theShellCanRefuseAnAcceptedWorker() {
        var machine = Self.authenticated()
        let refusal = ProtocolError(code: .workerRefused, message: "revision differs")
        #expect(machine.closeRequested(refusal) == .closeWithError(refusal))
        #expect(machine.connectionClosed() == .unregisterWorker(Fixtures.hello))
    }

    @Test func anAcceptedWorkerIsUnregisteredExactlyOnce() {
        var machine = Self.authenticated()
        #expect(machine.connectionClosed() == .unregisterWorker(Fixtures.hello))
        #expect(machine.connectionClosed() == .none)
    }

    @Test func aWorkerNeverAcceptedIsNotUnregistered() {
        var machine = Self.awaitingAuth()
        _ = machine.messageReceived(.auth(AuthMessage(mac: "00")))
        #expect(machine.connectionClosed() == .none)
    }

    @Test func theNonceServesOneAuthOnly() {
        // After a failed auth the connection is closing; a second try on it gets nowhere.
        var machine = Self.awaitingAuth()
        _ = machine.messageReceived(.auth(AuthMessage(mac: "00")))
        #expect(machine.messageReceived(.auth(AuthMessage(mac: Fixtures.mac()))) == .none)
        #expect(!machine.isAuthenticated)
    }
}

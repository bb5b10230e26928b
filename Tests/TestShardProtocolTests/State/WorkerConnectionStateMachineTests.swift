import TestShardProtocol
import Testing

@Suite struct WorkerConnectionStateMachineTests {
    typealias Machine = WorkerConnectionStateMachine

    static func connected() -> Machine {
        var machine = Machine(configuration: .init(hello: Fixtures.hello, token: Fixtures.token))
        _ = machine.connected()
        return machine
    }

    static func ready() -> Machine {
        var machine = connected()
        _ = machine.messageReceived(.challenge(Fixtures.challenge))
        _ = machine.messageReceived(.welcome(Fixtures.welcome))
        return machine
    }

    func failure(_ action: Machine.Action) -> (code: ProtocolError.Code, fatal: Bool)? {
        if case .fail(let error, let fatal) = action { return (error.code, fatal) }
        return nil
    }

    @Test func connectingSendsHello() {
        var machine = Machine(configuration: .init(hello: Fixtures.hello, token: Fixtures.token))
        #expect(machine.connected() == .sendHello(Fixtures.hello))
    }

    @Test func theChallengeIsAnsweredWithTheMAC() {
        var machine = Self.connected()
        #expect(machine.messageReceived(.challenge(Fixtures.challenge)) == .sendAuth(AuthMessage(mac: Fixtures.mac())))
    }

    @Test func welcomeMakesTheWorkerReady() {
        var machine = Self.connected()
        _ = machine.messageReceived(.challenge(Fixtures.challenge))
        #expect(machine.messageReceived(.welcome(Fixtures.welcome)) == .ready(Fixtures.welcome))
        #expect(machine.welcome == Fixtures.welcome)
    }

    @Test func aChallengeOfAnotherVersionIsFatal() {
        var machine = Self.connected()
        var challenge = Fixtures.challenge
        challenge.protocolVersion = 3
        let action = machine.messageReceived(.challenge(challenge))
        #expect(failure(action)?.code == .wrongVersion)
        #expect(failure(action)?.fatal == true)
    }

    @Test func aChallengeWithABadNonceFails() {
        var machine = Self.connected()
        var challenge = Fixtures.challenge
        challenge.nonce = "AAAA"
        #expect(failure(machine.messageReceived(.challenge(challenge)))?.code == .invalidField)
    }

    @Test func beingRefusedForTheTokenIsFatal() {
        var machine = Self.connected()
        _ = machine.messageReceived(.challenge(Fixtures.challenge))
        let action = machine.messageReceived(.error(ErrorMessage(code: "bad_mac", message: "wrong token")))
        #expect(failure(action)?.code == .badMAC)
        #expect(failure(action)?.fatal == true)
    }

    @Test func beingRefusedForATimeoutIsNotFatal() {
        var machine = Self.connected()
        let action = machine.messageReceived(.error(ErrorMessage(code: "handshake_timeout", message: "slow")))
        #expect(failure(action)?.fatal == false)
    }

    @Test func aWelcomeForAnotherRunFails() {
        var machine = Self.connected()
        _ = machine.messageReceived(.challenge(Fixtures.challenge))
        var welcome = Fixtures.welcome
        welcome.runID = "other"
        #expect(failure(machine.messageReceived(.welcome(welcome)))?.code == .invalidField)
    }

    @Test func workBeforeWelcomeIsUnexpected() {
        var machine = Self.connected()
        #expect(failure(machine.messageReceived(.assign(Fixtures.assign)))?.code == .unexpectedMessage)
    }

    @Test func commandsAreForwardedWhenReady() {
        var machine = Self.ready()
        #expect(machine.messageReceived(.assign(Fixtures.assign)) == .forward(.assign(Fixtures.assign)))
    }

    @Test func workerMessagesFromTheCoordinatorAreUnexpected() {
        var machine = Self.ready()
        #expect(failure(machine.messageReceived(.hello(Fixtures.hello)))?.code == .unexpectedMessage)
    }

    @Test func afterDrainNewWorkIsRefusedAndLeavingSaysGoodbye() {
        var machine = Self.ready()
        let drain = DrainMessage(reason: "run complete")
        #expect(machine.messageReceived(.drain(drain)) == .forward(.drain(drain)))
        #expect(
            machine.messageReceived(.assign(Fixtures.assign))
                == .sendRefuse(
                    RefuseMessage(
                        shardID: "s0042",
                        attempt: 1,
                        reason: "the worker is stopping (drained: run complete)"
                    )
                )
        )
        let handedBack = [ShardAttemptRef(shardID: "s7", attempt: 1)]
        #expect(
            machine.readyToLeave(handedBack: handedBack)
                == .sendGoodbyeAndClose(GoodbyeMessage(reason: "drained: run complete", handedBack: handedBack))
        )
        #expect(machine.connectionClosed() == .none)
    }

    @Test func shutdownWhileReadyStopsTakingWorkThenSaysGoodbye() {
        var machine = Self.ready()
        #expect(machine.shutdownRequested(reason: "SIGTERM") == .none)
        if case .sendRefuse = machine.messageReceived(.assign(Fixtures.assign)) {
        } else {
            Issue.record("an assign while stopping must be refused")
        }
        #expect(
            machine.readyToLeave(handedBack: [])
                == .sendGoodbyeAndClose(GoodbyeMessage(reason: "SIGTERM", handedBack: []))
        )
    }

    @Test func shutdownDuringTheHandshakeJustCloses() {
        var machine = Self.connected()
        #expect(machine.shutdownRequested(reason: "SIGTERM") == .close)
        #expect(machine.connectionClosed() == .none)
    }

    @Test func aLostConnectionIsNotFatal() {
        var machine = Self.ready()
        let action = machine.connectionClosed()
        #expect(failure(action)?.code == .connectionClosed)
        #expect(failure(action)?.fatal == false)
    }

    @Test func onlyTheHandshakeHasADeadline() {
        var handshaking = Self.connected()
        #expect(failure(handshaking.idleTimeout(seconds: 10))?.code == .handshakeTimeout)
        var ready = Self.ready()
        #expect(ready.idleTimeout(seconds: 3600) == .none)
    }

    @Test func theRefusalIsReportedOnceNotAgainWhenTheConnectionCloses() {
        var machine = Self.connected()
        _ = machine.messageReceived(.error(ErrorMessage(code: "bad_mac", message: "x")))
        #expect(machine.connectionClosed() == .none)
    }
}

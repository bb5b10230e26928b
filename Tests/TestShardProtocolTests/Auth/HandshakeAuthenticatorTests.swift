import TestShardProtocol
import Testing

@Suite struct HandshakeAuthenticatorTests {
    // Known answers computed independently with Python:
    //   import hmac, hashlib, struct
    //   msg = bytes(range(32)) + struct.pack(">I", len(name)) + name + struct.pack(">I", len(run)) + run
    //   hmac.new(b"0123456789abcdef0123456789abcdef", msg, hashlib.sha256).hexdigest()
    // with run = b"run-2024-11-26" and name = b"ci-worker-3", then "wörker-🧪" in UTF-8.
    @Test func theMACMatchesAnIndependentlyComputedVector() {
        #expect(Fixtures.mac(name: "ci-worker-3") == "2f4f71c787a43619c6d3e19e442ec9e109adff5c5affd98ee089505c6a3089d5")
        #expect(Fixtures.mac(name: "wörker-🧪") == "a8bec19f207d52d8c90f7418f8fd604ce08bba859880d2548157c03b9ebfe779")
    }

    @Test func theRightMACVerifies() {
        #expect(verify(Fixtures.mac()))
        #expect(verify(Fixtures.mac().uppercased()))
    }

    @Test func aMACFromAnotherTokenIsRejected() {
        #expect(!verify(Fixtures.mac(token: Fixtures.otherToken)))
    }

    @Test func aMACIsBoundToTheNonceTheNameAndTheRun() {
        let mac = Fixtures.mac()
        let otherNonce = AuthNonce(bytes: Array(repeating: 7, count: 32))!
        #expect(
            !HandshakeAuthenticator.verify(
                mac: mac,
                token: Fixtures.token,
                nonce: otherNonce,
                workerName: Fixtures.hello.workerName,
                runID: Fixtures.runID
            )
        )
        #expect(
            !HandshakeAuthenticator.verify(
                mac: mac,
                token: Fixtures.token,
                nonce: Fixtures.nonce,
                workerName: "other",
                runID: Fixtures.runID
            )
        )
        #expect(
            !HandshakeAuthenticator.verify(
                mac: mac,
                token: Fixtures.token,
                nonce: Fixtures.nonce,
                workerName: Fixtures.hello.workerName,
                runID: "other-run"
            )
        )
    }

    @Test func nameAndRunCannotBeShiftedIntoEachOther() {
        let nonce = Fixtures.nonce
        let a = HandshakeAuthenticator.mac(token: Fixtures.token, nonce: nonce, workerName: "ab", runID: "c")
        let b = HandshakeAuthenticator.mac(token: Fixtures.token, nonce: nonce, workerName: "a", runID: "bc")
        #expect(a != b)
    }

    @Test(arguments: [
        "", "zz", String(repeating: "0", count: 63), String(repeating: "g", count: 64),
        String(repeating: "0", count: 66),
    ])
    func textThatIsNotAMACIsRejected(_ mac: String) {
        #expect(!verify(mac))
    }

    func verify(_ mac: String) -> Bool {
        HandshakeAuthenticator.verify(
            mac: mac,
            token: Fixtures.token,
            nonce: Fixtures.nonce,
            workerName: Fixtures.hello.workerName,
            runID: Fixtures.runID
        )
    }
}

@Suite struct AuthTokenTests {
    @Test func aShortTokenIsRefusedWithAdvice() {
        let error = #expect(throws: ProtocolError.self) { try AuthToken(fileContents: "secret\n") }
        #expect(error?.code == .invalidToken)
        #expect(error?.message.contains("openssl rand -hex 32") == true)
    }

    @Test func surroundingWhitespaceIsNotPartOfTheToken() throws {
        let fromFile = try AuthToken(fileContents: "  0123456789abcdef0123456789abcdef\n")
        let mac = HandshakeAuthenticator.mac(
            token: fromFile,
            nonce: Fixtures.nonce,
            workerName: Fixtures.hello.workerName,
            runID: Fixtures.runID
        )
        #expect(mac == Fixtures.mac())
    }

    @Test func theTokenNeverPrints() throws {
        let token = try AuthToken(fileContents: "0123456789abcdef0123456789abcdef")
        #expect(!"\(token)".contains("0123456789"))
        #expect(!String(reflecting: token).contains("0123456789"))
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("48, 49, 50"))
        #expect(!dumped.contains("0123456789"))
    }

    @Test func aGeneratedTokenIsUsable() throws {
        var rng = ProtocolFuzzer.SeededGenerator(seed: 1)
        let text = AuthToken.generateText(using: &rng)
        #expect(text.count == 64)
        #expect(try AuthToken(fileContents: text).byteCount == 64)
    }
}

@Suite struct AuthNonceTests {
    @Test func aNonceIs32BytesFromTheGivenSource() {
        var a = ProtocolFuzzer.SeededGenerator(seed: 42)
        var b = ProtocolFuzzer.SeededGenerator(seed: 42)
        let first = AuthNonce(using: &a)
        #expect(first.bytes.count == 32)
        #expect(first == AuthNonce(using: &b))
        #expect(first != AuthNonce(using: &a))
    }

    @Test func base64RoundTrips() {
        #expect(AuthNonce(base64: Fixtures.nonce.base64) == Fixtures.nonce)
        #expect(Fixtures.nonce.base64 == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    }

    @Test(arguments: ["", "!!!!", "AAECAw==", String(repeating: "A", count: 200)])
    func anythingButBase64Of32BytesIsNoNonce(_ text: String) {
        #expect(AuthNonce(base64: text) == nil)
    }
}

import Testing

@testable import TestShardCoordinatorKit

@Suite struct TransportFailureTests {
    @Test func aTLSClientHelloIsRecognisedAndAFrameIsNot() {
        #expect(TransportFailure.looksLikeTLSClientHello([0x16, 0x03, 0x01, 0x02, 0x00]))
        // A real frame: a 4-byte length far below 0x16030000.
        #expect(!TransportFailure.looksLikeTLSClientHello([0x00, 0x00, 0x01, 0x20, 0x7B]))
        #expect(!TransportFailure.looksLikeTLSClientHello([0x16]))
        #expect(!TransportFailure.looksLikeTLSClientHello([0x16, 0x04]))
    }

    @Test func serverSideMessagesSayWhatToFix() {
        let noCertificate = TransportFailure.serverSide(
            "handshakeFailed(BoringSSLError.sslError([Error: 268435646 error:1000007c:SSL routines:"
                + "OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE]))"
        )
        #expect(noCertificate.code.rawValue == "tls_failed")
        #expect(noCertificate.message.contains("presented no client certificate"))
        let otherCA = TransportFailure.serverSide("handshakeFailed(… CERTIFICATE_VERIFY_FAILED …)")
        #expect(otherCA.message.contains("does not verify against this coordinator's CA"))
        let plain = TransportFailure.serverSide("handshakeFailed(… WRONG_VERSION_NUMBER …)")
        #expect(plain.message.contains("does not speak TLS"))
    }

    @Test func peerTextInAFailureStaysOnOneLine() {
        let failure = TransportFailure.serverSide("handshakeFailed(\nforged log line\n)")
        #expect(!failure.description.contains("\n"))
    }
}

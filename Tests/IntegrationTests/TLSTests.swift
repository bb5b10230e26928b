import Foundation
import TestShardJUnit
import Testing

/// Issue 6, item 5: mutual TLS between the real coordinator and real workers, with certificates
/// made by `openssl` in the test.
@Suite(.serialized) struct TLSTests {
    static let files = (0..<4).map { "tests/test_tls_\($0).py" }
    static let expectedTests = Set(files.flatMap { file in (0..<2).map { "\(file)::test_\($0)" } })

    /// Coordinator and two workers over mutual TLS; the workers' certificates name no address (a
    /// worker dials out from wherever it is), and the run passes end to end.
    @Test func aFullRunOverMutualTLSPasses() async throws {
        let (suite, certificates) = try Self.fixture()
        defer { suite.remove(); certificates.remove() }
        let ca = try certificates.authority("ca")
        let server = try certificates.issue("coordinator", by: ca, extensions: Self.serverExtensions("IP:127.0.0.1"))
        let token = try suite.tokenFile()
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token, "--expect-workers",
                "2",
                "--report-dir", suite.path("out"), "--log-level", "info",
                "--tls-ca", ca.certificate, "--tls-cert", server.certificate, "--tls-key", server.key,
            ],
            in: suite.root
        )
        let address = try #require(await coordinator.listeningAddress(), "\(coordinator.transcript)")
        var workers: [ChildProcess] = []
        for index in 1...2 {
            let client = try certificates.issue("worker-\(index)", by: ca, extensions: Self.clientExtensions)
            workers.append(
                try startWorker(
                    address,
                    "tls-\(index)",
                    suite,
                    token,
                    tls: [ca.certificate, client.certificate, client.key]
                )
            )
        }
        #expect(await coordinator.wait(timeout: 120) == 0, "\(coordinator.transcript)")
        #expect(coordinator.errors.contains("tls=mutual"), "\(coordinator.errors)")
        for worker in workers { #expect(await worker.wait(timeout: 30) == 0, "\(worker.transcript)") }
        try Self.expectWholeRun(suite.path("out"))
    }

    /// A worker without a client certificate, one with a certificate from another CA, a worker
    /// without TLS and a raw TCP peer are all refused — each worker exits 1 saying why, the
    /// coordinator logs each handshake failure — while a good worker completes the run.
    @Test func peersWithoutAValidClientCertificateAreRefused() async throws {
        let (suite, certificates) = try Self.fixture()
        defer { suite.remove(); certificates.remove() }
        let ca = try certificates.authority("ca")
        let rogueCA = try certificates.authority("rogue-ca")
        let server = try certificates.issue("coordinator", by: ca, extensions: Self.serverExtensions("IP:127.0.0.1"))
        let good = try certificates.issue("worker", by: ca, extensions: Self.clientExtensions)
        let rogue = try certificates.issue("rogue-worker", by: rogueCA, extensions: Self.clientExtensions)
        let token = try suite.tokenFile()
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token,
                "--report-dir", suite.path("out"), "--log-level", "info",
                "--tls-ca", ca.certificate, "--tls-cert", server.certificate, "--tls-key", server.key,
            ],
            in: suite.root
        )
        let address = try #require(await coordinator.listeningAddress(), "\(coordinator.transcript)")

        let noCertificate = try startWorker(address, "no-cert", suite, token, tls: [ca.certificate])
        #expect(await noCertificate.wait(timeout: 30) == 1, "\(noCertificate.transcript)")
        #expect(noCertificate.errors.contains("requires a client certificate"), "\(noCertificate.transcript)")
        #expect(
            await coordinator.waitFor("presented no client certificate", timeout: 10) != nil,
            "\(coordinator.errors)"
        )

        let otherCA = try startWorker(
            address,
            "rogue",
            suite,
            token,
            tls: [ca.certificate, rogue.certificate, rogue.key]
        )
        #expect(await otherCA.wait(timeout: 30) == 1, "\(otherCA.transcript)")
        #expect(otherCA.errors.contains("refused this worker's client certificate"), "\(otherCA.transcript)")
        #expect(
            await coordinator.waitFor("does not verify against this coordinator's CA", timeout: 10) != nil,
            "\(coordinator.errors)"
        )

        let plain = try startWorker(address, "plain", suite, token, tls: [])
        #expect(await plain.wait(timeout: 30) == 1, "\(plain.transcript)")
        #expect(plain.errors.contains("uses TLS"), "\(plain.transcript)")

        let raw = try RawConnection(address)
        raw.sendFrame(json: "{\"type\": \"hello\", \"protocol_version\": 1}")
        #expect(raw.closedByPeer(within: 10), "plain TCP to a TLS coordinator is closed")
        #expect(
            await Self.logLine(coordinator, containing: ["does not speak TLS", raw.peerText + " "]),
            "\(coordinator.errors)"
        )

        let worker = try startWorker(address, "good", suite, token, tls: [ca.certificate, good.certificate, good.key])
        #expect(await coordinator.wait(timeout: 120) == 0, "\(coordinator.transcript)")
        #expect(await worker.wait(timeout: 30) == 0, "\(worker.transcript)")
        try Self.expectWholeRun(suite.path("out"))
    }

    /// The worker verifies the coordinator: the certificate must chain to the worker's CA and name
    /// the host the worker dials — a DNS name through SNI, an IP address (v4 or v6, which SNI
    /// cannot carry) through the certificate's IP SANs.
    @Test func theWorkerVerifiesTheCoordinatorsCertificate() async throws {
        let (suite, certificates) = try Self.fixture()
        defer { suite.remove(); certificates.remove() }
        let ca = try certificates.authority("ca")
        let rogueCA = try certificates.authority("rogue-ca")
        // Names localhost and ::1, but not 127.0.0.1.
        let server = try certificates.issue(
            "coordinator",
            by: ca,
            extensions: Self.serverExtensions("DNS:localhost,IP:::1")
        )
        let client = try certificates.issue("worker", by: ca, extensions: Self.clientExtensions)
        let token = try suite.tokenFile()
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token,
                "--report-dir", suite.path("out"), "--log-level", "info",
                "--tls-ca", ca.certificate, "--tls-cert", server.certificate, "--tls-key", server.key,
            ],
            in: suite.root
        )
        let address = try #require(await coordinator.listeningAddress(), "\(coordinator.transcript)")
        let port = try #require(address.split(separator: ":").last)
        let clientFiles = [ca.certificate, client.certificate, client.key]

        let byAddress = try startWorker(address, "by-address", suite, token, tls: clientFiles)
        #expect(await byAddress.wait(timeout: 30) == 1, "\(byAddress.transcript)")
        #expect(byAddress.errors.contains("does not name 127.0.0.1"), "\(byAddress.transcript)")

        let wrongTrust = try startWorker(
            "localhost:\(port)",
            "wrong-trust",
            suite,
            token,
            tls: [rogueCA.certificate, client.certificate, client.key]
        )
        #expect(await wrongTrust.wait(timeout: 30) == 1, "\(wrongTrust.transcript)")
        #expect(
            wrongTrust.errors.contains("does not verify against \(rogueCA.certificate)"),
            "\(wrongTrust.transcript)"
        )

        let byName = try startWorker("localhost:\(port)", "by-name", suite, token, tls: clientFiles)
        #expect(await coordinator.wait(timeout: 120) == 0, "\(coordinator.transcript)")
        #expect(await byName.wait(timeout: 30) == 0, "\(byName.transcript)")
        try Self.expectWholeRun(suite.path("out"))

        // IPv6: the address goes to the IP SAN check, not into SNI (where TLS forbids it).
        let v6Suite = try SuiteFixture(config: SuiteFixture.config(), files: Self.testFiles)
        defer { v6Suite.remove() }
        let v6Token = try v6Suite.tokenFile()
        let v6Coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", v6Suite.config, "--listen", "[::1]:0", "--token-file", v6Token,
                "--report-dir", v6Suite.path("out"),
                "--tls-ca", ca.certificate, "--tls-cert", server.certificate, "--tls-key", server.key,
            ],
            in: v6Suite.root
        )
        let v6Address = try #require(await v6Coordinator.listeningAddress(), "\(v6Coordinator.transcript)")
        #expect(v6Address.hasPrefix("[::1]:"))
        let v6Worker = try startWorker(v6Address, "v6", v6Suite, v6Token, tls: clientFiles)
        #expect(await v6Coordinator.wait(timeout: 120) == 0, "\(v6Coordinator.transcript)\n\(v6Worker.transcript)")
        #expect(await v6Worker.wait(timeout: 30) == 0, "\(v6Worker.transcript)")
        try Self.expectWholeRun(v6Suite.path("out"))
    }

    /// `[tls]` in the config is the default for both binaries: a coordinator and a remote worker
    /// started without any TLS flag, plus a local worker, all speak mutual TLS.
    @Test func tlsFromTheConfigIsTheDefaultForBothBinaries() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let ca = try certificates.authority("ca")
        // One certificate for every host of this run: server and client use, and 127.0.0.1.
        let node = try certificates.issue(
            "node",
            by: ca,
            extensions:
                "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n"
        )
        let tlsTable = """

            [tls]
            ca_file = "\(ca.certificate)"
            cert_file = "\(node.certificate)"
            key_file = "\(node.key)"
            """
        let suite = try SuiteFixture(config: SuiteFixture.config(extra: tlsTable), files: Self.testFiles)
        defer { suite.remove() }
        let token = try suite.tokenFile()
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token, "--local-workers",
                "1",
                "--expect-workers", "2", "--report-dir", suite.path("out"), "--log-level", "info",
            ],
            in: suite.root
        )
        let address = try #require(await coordinator.listeningAddress(), "\(coordinator.transcript)")
        #expect(coordinator.errors.contains("tls=mutual"), "\(coordinator.errors)")
        let remote = try startWorker(address, "remote", suite, token, tls: [])
        #expect(await coordinator.wait(timeout: 120) == 0, "\(coordinator.transcript)\n\(remote.transcript)")
        #expect(await remote.wait(timeout: 30) == 0, "\(remote.transcript)")
        #expect(coordinator.errors.contains("worker=remote"), "the remote worker joined over TLS")
        #expect(coordinator.errors.contains("worker=local-1"), "the local worker joined over TLS")
        try Self.expectWholeRun(suite.path("out"))
    }

    /// A private key other users can read is refused by both binaries, naming the file and the fix.
    @Test func aWorldReadablePrivateKeyIsRefused() async throws {
        let (suite, certificates) = try Self.fixture()
        defer { suite.remove(); certificates.remove() }
        let ca = try certificates.authority("ca")
        let server = try certificates.issue("coordinator", by: ca, extensions: Self.serverExtensions("IP:127.0.0.1"))
        chmod(server.key, 0o644)
        let token = try suite.tokenFile()
        let (status, coordinator) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--local-workers", "1", "--report-dir", suite.path("out"),
                "--tls-ca", ca.certificate, "--tls-cert", server.certificate, "--tls-key", server.key,
            ],
            in: suite.root,
            timeout: 60
        )
        #expect(status == 2, "\(coordinator.transcript)")
        #expect(coordinator.errors.contains("--tls-key \(server.key)"), "\(coordinator.errors)")
        #expect(coordinator.errors.contains("chmod 600 \(server.key)"), "\(coordinator.errors)")
        let (workerStatus, worker) = try await runToEnd(
            Binaries.worker,
            [
                "--coordinator", "127.0.0.1:9", "--root", suite.root.path, "--token-file", token, "--once",
                "--tls-ca", ca.certificate, "--tls-cert", server.certificate, "--tls-key", server.key,
            ],
            in: suite.root,
            timeout: 60
        )
        #expect(workerStatus == 2, "\(worker.transcript)")
        #expect(worker.errors.contains("chmod 600 \(server.key)"), "\(worker.errors)")
    }

    // MARK: - Helpers

    static let clientExtensions = "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n"

    static func serverExtensions(_ subjectAltName: String) -> String {
        "subjectAltName=\(subjectAltName)\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
    }

    static var testFiles: [String: String] {
        Dictionary(uniqueKeysWithValues: files.map { ($0, SuiteFixture.testFile(tests: 2, sleep: 0.1)) })
    }

    static func fixture() throws -> (SuiteFixture, TestCertificates) {
        (try SuiteFixture(config: SuiteFixture.config(), files: testFiles), try TestCertificates())
    }

    /// The merged junit.xml holds every test of the suite once, passed.
    static func expectWholeRun(_ reportDirectory: String) throws {
        let merged = JUnitReader(candidateFiles: files).read(contentsOf: reportDirectory + "/junit.xml")
        #expect(merged.state == .ok)
        #expect(merged.tests.count == expectedTests.count, "\(merged.tests.map(\.id))")
        #expect(Set(merged.tests.map(\.id)) == expectedTests)
        #expect(merged.tests.allSatisfy { $0.status == .passed })
    }

    /// Whether a line of `process`'s stderr contains every one of `texts` within 10 s.
    static func logLine(_ process: ChildProcess, containing texts: [String]) async -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if process.errors.split(separator: "\n").contains(where: { line in texts.allSatisfy { line.contains($0) } })
            {
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// `tls`: nothing (plain), the CA only, or CA, certificate and key.
    private func startWorker(
        _ address: String,
        _ name: String,
        _ suite: SuiteFixture,
        _ token: String,
        tls: [String]
    ) throws -> ChildProcess {
        var arguments = [
            "--coordinator", address, "--root", suite.root.path, "--token-file", token, "--name", name, "--once",
            "--give-up-after", "20s",
        ]
        for (flag, value) in zip(["--tls-ca", "--tls-cert", "--tls-key"], tls) { arguments += [flag, value] }
        return try ChildProcess(Binaries.worker, arguments, in: suite.root)
    }

}

/// Certificates made with `openssl` in a fresh temporary folder (EC P-256, valid for a day);
/// private keys are mode 600, as the binaries require.
struct TestCertificates {
    let directory: URL

    struct Pair {
        var certificate: String
        var key: String
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "testshard-certs-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A self-signed CA.
    func authority(_ name: String) throws -> Pair {
        let pair = Pair(certificate: path("\(name).pem"), key: path("\(name).key"))
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", pair.key, "-out", pair.certificate, "-days", "1", "-subj", "/CN=TestShard test \(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        chmod(pair.key, 0o600)
        return pair
    }

    /// A certificate for `name` signed by `ca`, with `extensions` (an openssl extension file's text).
    func issue(_ name: String, by ca: Pair, extensions: String) throws -> Pair {
        let pair = Pair(certificate: path("\(name).pem"), key: path("\(name).key"))
        let request = path("\(name).csr")
        let extensionFile = path("\(name).ext")
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: extensionFile))
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", pair.key,
            "-out", request, "-subj", "/CN=\(name)",
        ])
        try openssl([
            "x509", "-req", "-in", request, "-CA", ca.certificate, "-CAkey", ca.key, "-CAcreateserial",
            "-out", pair.certificate, "-days", "1", "-extfile", extensionFile,
        ])
        chmod(pair.key, 0o600)
        return pair
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RawConnectionError(
                "openssl \(arguments.joined(separator: " ")): \(String(decoding: text, as: UTF8.self))"
            )
        }
    }
}

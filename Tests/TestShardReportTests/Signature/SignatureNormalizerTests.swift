import TestShardModel
import Testing

@testable import TestShardReport

/// `reason-v1`: the test vectors of report-anchors §7, then edge cases.
@Suite struct SignatureNormalizerTests {
    let normalizer = SignatureNormalizer(repoRoots: ["/home/ci/suite"])

    func normalized(_ raw: String, type: String? = nil, location: String? = nil) -> String {
        normalizer.signature(message: raw, exceptionType: type, crashLocation: location).normalized
    }

    // MARK: §7 test vectors

    @Test(arguments: [
        "RuntimeError: Failed to start Docker services",
        "no such service: backend",
        "AttributeError: 'RealWebSocketTestConfig' object has no attribute 'docker_startup_timeout'",
        "FAILED: worker exited with exit code 137",
    ])
    func identifiersAndKeptNumbersSurviveUnchanged(raw: String) {
        #expect(normalized(raw, location: "tests/x.py::test_y") == raw)
    }

    @Test func durationsAndCountsAreMasked() {
        #expect(
            normalized("TimeoutError: service backend not healthy after 120.4s (attempt 7/10)")
                == "TimeoutError: service backend not healthy after <DUR> (attempt <N>/<N>)"
        )
    }

    @Test func errnoIsKeptAndAddressesMasked() {
        #expect(
            normalized("ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 8432)")
                == "ConnectionRefusedError: [Errno 111] Connect call failed ('<IP1>', <N>)"
        )
    }

    static let dockerConflict =
        #"docker: Error response from daemon: Conflict. The container name "/pg_7f3a9c2e1b0d" is already in use by container "7f3a9c2e1b0d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f""#

    @Test func containerNameSuffixSurvivesWithoutAProjectMask() {
        #expect(
            normalized(Self.dockerConflict)
                == #"docker: Error response from daemon: Conflict. The container name "/pg_7f3a9c2e1b0d" is already in use by container "<HEX1>""#
        )
    }

    @Test func containerNameSuffixIsAHexTokenWithTheProjectMask() throws {
        let mask = try ProjectMask(#"(?<=_)[0-9a-f]{8,}\b"#)
        #expect(mask.kind == .hexToken)
        let masked = SignatureNormalizer(masks: [mask])
        #expect(
            masked.normalizeText(Self.dockerConflict)
                == #"docker: Error response from daemon: Conflict. The container name "/pg_<HEX1>" is already in use by container "<HEX2>""#
        )
    }

    @Test func aBareAssertGetsItsCrashLocation() {
        #expect(
            normalized("assert 3 == 5", type: "AssertionError", location: "tests/test_x.py::test_sum")
                == "assert <N> == <N> @ tests/test_x.py::test_sum"
        )
    }

    @Test func logPrefixesAreStripped() {
        #expect(normalized("[gw3] 02:14:05 ERROR - TIMEOUT after 2 minutes") == "TIMEOUT after <DUR>")
        let shard = normalizer.shardSignature(
            exitKind: .timeout,
            logLine: "[gw3] 02:14:05 ERROR - TIMEOUT after 2 minutes",
            file: "tests/test_x.py"
        )
        #expect(shard.normalized == "timeout: TIMEOUT after <DUR>")
        #expect(shard.exceptionType == "timeout")
    }

    // MARK: Ids

    @Test func idIsSha256OfTypeAndNormalizedText() {
        let signature = normalizer.signature(
            message: "RuntimeError: Failed to start Docker services",
            exceptionType: "RuntimeError",
            crashLocation: nil
        )
        // python3: hashlib.sha256(b"RuntimeError\0RuntimeError: Failed to start Docker services").hexdigest()[:32]
        #expect(signature.id == "r1:b6b09d432771d47a218e833bf5942ccb")
        #expect(signature.algorithm == "reason-v1")
        let assertion = normalizer.signature(
            message: "assert 3 == 5",
            exceptionType: "AssertionError",
            crashLocation: "tests/test_x.py::test_sum"
        )
        #expect(assertion.id == "r1:e0913e598a76355edb62a86b7388f506")
    }

    @Test func noiseDoesNotSplitASignature() {
        let a = normalizer.signature(
            message: "TimeoutError: service backend not healthy after 120.4s (attempt 7/10)",
            exceptionType: "TimeoutError",
            crashLocation: "tests/a.py::test_a"
        )
        let b = normalizer.signature(
            message: "TimeoutError: service backend not healthy after 3s (attempt 1/10)",
            exceptionType: "TimeoutError",
            crashLocation: "tests/b.py::test_b"
        )
        #expect(a.id == b.id)
    }

    @Test func meaningSplitsSignatures() {
        func id(_ message: String) -> String {
            normalizer.signature(message: message, exceptionType: nil, crashLocation: nil).id
        }
        #expect(id("worker exited with exit code 1") != id("worker exited with exit code 137"))
        #expect(id("OSError: [Errno 28] No space left") != id("OSError: [Errno 13] No space left"))
        #expect(id("HTTPError: status 503 from backend") != id("HTTPError: status 404 from backend"))
        #expect(id("no such service: backend") != id("no such service: frontend"))
        #expect(id("process killed by signal 9 (SIGKILL)") != id("process killed by signal 15 (SIGKILL)"))
        #expect(
            id("the same type differs")
                != normalizer.signature(message: "the same type differs", exceptionType: "X", crashLocation: nil).id
        )
    }

    // MARK: Edge cases

    @Test func numberedPlaceholdersKeepSameAndDifferentApart() {
        let same = normalized("expected deadbeef01 got deadbeef01")
        let different = normalized("expected deadbeef01 got deadbeef02")
        #expect(same == "expected <HEX1> got <HEX1>")
        #expect(different == "expected <HEX1> got <HEX2>")
        #expect(
            normalized(
                "user 123e4567-e89b-12d3-a456-426614174000 vs 123e4567-e89b-12d3-a456-426614174000 vs 9b2c4f1e-0000-4000-8000-000000000001"
            )
                == "user <UUID1> vs <UUID1> vs <UUID2>"
        )
    }

    @Test func ansiColoursAndWhitespaceAreDropped() {
        #expect(
            normalized("\u{1b}[31mAssertionError\u{1b}[0m:   boom\n   happened  ") == "AssertionError: boom happened"
        )
    }

    @Test func pathsAreMadeRelativeAndTemporaryOnesMasked() {
        #expect(
            normalized("FileNotFoundError: /home/ci/suite/tests/data/x.json") == "FileNotFoundError: tests/data/x.json"
        )
        #expect(
            normalized("OSError: cannot read /tmp/pytest-of-ci/pytest-12/test_upload0/file.txt")
                == "OSError: cannot read <TMP>/file.txt"
        )
        #expect(normalized("error in /tmp/tmpab12cd/out.log") == "error in <TMP>")
        #expect(
            normalized("in /usr/lib/python3.12/site-packages/requests/api.py") == "in <SITE>/requests/api.py"
        )
        #expect(normalized(#"C:\work\tests\test_a.py failed"#) == "C:/work/tests/test_a.py failed")
    }

    @Test func timestampsAddressesAndReprsAreMasked() {
        #expect(normalized("at 2025-06-01T02:14:05.123Z the job stopped") == "at <TS> the job stopped")
        #expect(normalized("at 2025-06-01 02:14:05+02:00 the job stopped") == "at <TS> the job stopped")
        #expect(normalized("at datetime.datetime(2025, 6, 1, 2, 14) it stopped") == "at <TS> it stopped")
        #expect(normalized("cannot reach localhost:8080 now") == "cannot reach localhost:<PORT> now")
        #expect(normalized("connect to [2001:db8::1]:5432 failed") == "connect to [<IP1>]:<N> failed")
        #expect(normalized("tests/a.py::TestX::test_b failed") == "tests/a.py::TestX::test_b failed")
        #expect(
            normalized("bad <app.models.User object at 0x7f3a9c2e1b0d> here") == "bad <app.models.User object> here"
        )
        #expect(normalized("pointer 0x7ffd5e8c2a10 freed") == "pointer <HEX1> freed")
    }

    @Test func identifiersWithDigitsSurvive() {
        #expect(normalized("NameError: name 'test_v2' is not defined") == "NameError: name 'test_v2' is not defined")
        #expect(
            normalized("UnicodeDecodeError: 'utf8' codec can't decode")
                == "UnicodeDecodeError: 'utf8' codec can't decode"
        )
        #expect(normalized("KeyError: 'sha256'") == "KeyError: 'sha256'")
    }

    @Test func keyValueQuotedValuesAndBooleansAreMasked() {
        #expect(
            normalized("ValueError: bad option mode='fast' label=\"x y\" debug=True")
                == "ValueError: bad option mode=<STR> label=<STR> debug=<BOOL>"
        )
        #expect(normalized("auth failed token=dGhpcyBpcyBhIHRlc3Q=") == "auth failed token=<B64>")
    }

    @Test func keepListSurvivesInAnyCase() {
        #expect(normalized("Exit code 2 from runner") == "Exit code 2 from runner")
        #expect(normalized("HTTP 404 for /api/v1/items/17") == "HTTP 404 for /api/v1/items/<N>")
    }

    @Test func longTextIsBoundedAndRepeatedLinesDropped() {
        let line = "Traceback line that repeats many times over and over again\n"
        let text = "RuntimeError: start\n" + String(repeating: line, count: 200)
        let result = normalized(text)
        #expect(result.count <= SignatureNormalizer.signatureLength)
        #expect(result.hasPrefix("RuntimeError: start Traceback line that repeats"))
        #expect(result.components(separatedBy: "repeats many").count == 2)
        let unique = (0..<300).map { "distinct line number \(String(repeating: "x", count: $0 % 7)) \($0)" }.joined(
            separator: "\n"
        )
        #expect(SignatureNormalizer.shorten(unique).count == 2001)
    }

    @Test func captureMasksReplaceTheirGroup() throws {
        let mask = try ProjectMask(#"session (\w+) expired"#)
        #expect(mask.kind == .capture)
        let masked = SignatureNormalizer(masks: [mask])
        #expect(masked.normalizeText("RuntimeError: session abcXYZ expired") == "RuntimeError: session <*> expired")
    }

    @Test func badMasksAreRejectedWithTheReason() {
        #expect(throws: ReportInputError.self) { try ProjectMask("(a)(b)") }
        #expect(throws: ReportInputError.self) { try ProjectMask("(unclosed") }
        do {
            _ = try ProjectMask("(a)(b)")
        } catch {
            #expect(error.code == .badMask)
            #expect(error.message.contains("2 capture groups"))
        }
    }

    @Test(arguments: [
        "AssertionError", "Exception", "Error", "Failed", "Timeout", "boom", "", "assert False", "assert None",
    ])
    func genericMessagesGetTheirLocation(message: String) {
        #expect(normalized(message, location: "tests/t.py::test_f").hasSuffix(" @ tests/t.py::test_f"))
    }

    @Test func specificMessagesIgnoreTheLocation() {
        let a = normalizer.signature(
            message: "assert response.count == 200",
            exceptionType: "AssertionError",
            crashLocation: "tests/a.py::t"
        )
        let b = normalizer.signature(
            message: "assert response.count == 200",
            exceptionType: "AssertionError",
            crashLocation: "tests/b.py::u"
        )
        #expect(a.id == b.id)
        #expect(a.normalized == "assert response.count == <N>")
        // `status == 200` is an HTTP status: on the keep-list.
        #expect(normalizer.normalizeText("assert response.status == 200") == "assert response.status == 200")
    }

    @Test func aShardSignalWithoutOutputNamesItsFile() {
        let signal = normalizer.shardSignature(exitKind: .crash, logLine: nil, file: "tests/t.py")
        #expect(signal.normalized == "crash @ tests/t.py")
        let generic = normalizer.shardSignature(exitKind: .noResults, logLine: "Error", file: "tests/t.py")
        #expect(generic.normalized == "no_results: Error @ tests/t.py")
    }
}

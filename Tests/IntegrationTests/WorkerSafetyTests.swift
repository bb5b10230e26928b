import Foundation
import TestShardModel
import TestShardProtocol
import Testing

/// Issue 6, item 4: a real worker facing a hostile coordinator. The test plays the coordinator over
/// a raw socket (it knows the token, as anyone who took over the coordinator's port would) and
/// hands out items that try to run something outside the suite, and an `assign` that carries a
/// command of its own. The worker must refuse each such shard, saying which rule the item broke,
/// run nothing of it, and run only its own configured command for a good shard.
@Suite(.serialized) struct WorkerSafetyTests {
    @Test func aWorkerRefusesHostileItemsAndRunsOnlyItsOwnCommand() async throws {
        // Every "evil" file leaves a marker when Python imports it: if the worker ran any of them,
        // the marker would be there.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent(
            "testshard-outside-\(UUID().uuidString.prefix(8))"
        )
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let marker = outside.appendingPathComponent("ran-something").path
        let injectedMarker = outside.appendingPathComponent("ran-the-injected-command").path
        let evil = "open(\"\(marker)\", \"a\").write(__file__ + \"\\n\")\n\ndef test_evil():\n    pass\n"
        try Data(evil.utf8).write(to: outside.appendingPathComponent("test_evil.py"))
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_good.py": SuiteFixture.testFile(tests: 2),
                "other/test_evil.py": evil,  // exists, but outside the include globs
            ]
        )
        defer { suite.remove() }
        let tokenText = "c0ffee00c0ffee00c0ffee00c0ffee00"
        let tokenPath = try suite.tokenFile(token: tokenText)
        let token = try AuthToken(fileContents: tokenText)

        let listener = try RawListener()
        let worker = try ChildProcess(
            Binaries.worker,
            [
                "--coordinator", listener.address, "--root", suite.root.path, "--token-file", tokenPath,
                "--name", "target", "--slots", "8", "--once", "--give-up-after", "30s",
            ],
            in: suite.root
        )
        let connection = try #require(listener.accept(timeout: 30), "the worker never connected\n\(worker.transcript)")

        // The handshake, as the real coordinator does it; the worker's MAC must verify.
        let hello = try #require(connection.readMessage(ofType: "hello", timeout: 10), "\(worker.transcript)")
        #expect(hello["worker_name"] as? String == "target")
        var generator = SystemRandomNumberGenerator()
        let nonce = AuthNonce(using: &generator)
        let runID = "run-worker-safety"
        connection.sendFrame(
            try MessageCoder().encode(
                .challenge(ChallengeMessage(nonce: nonce.base64, runID: runID, softwareVersion: "test"))
            )
        )
        let auth = try #require(connection.readMessage(ofType: "auth", timeout: 10), "\(worker.transcript)")
        #expect(
            auth["mac"] as? String
                == HandshakeAuthenticator.mac(token: token, nonce: nonce, workerName: "target", runID: runID)
        )
        connection.sendFrame(
            try MessageCoder().encode(
                .welcome(WelcomeMessage(workerID: "target", heartbeatInterval: 1, leaseTimeout: 30, runID: runID))
            )
        )

        // 1. Hostile items, one shard each: what rule each must trip, in the worker's own words.
        let hostile: [(shard: String, item: String, rule: String)] = [
            ("s0001", outside.appendingPathComponent("test_evil.py").path, "is an absolute path"),
            ("s0002", "tests/../../\(outside.lastPathComponent)/test_evil.py", "has a '..' segment"),
            ("s0003", "-p", "starts with '-'"),
            ("s0004", "--rootdir=/", "starts with '-'"),
            ("s0005", "other/test_evil.py", "is not selected by this worker's include/exclude globs"),
        ]
        for attack in hostile {
            connection.sendFrame(
                try MessageCoder().encode(
                    .assign(
                        AssignMessage(
                            shardID: attack.shard,
                            attempt: 1,
                            items: [WorkItem(attack.item)],
                            timeoutSeconds: 30
                        )
                    )
                )
            )
        }
        var refusals: [String: String] = [:]
        while refusals.count < hostile.count, let refuse = connection.readMessage(ofType: "refuse", timeout: 20) {
            refusals[refuse["shard_id"] as? String ?? "?"] = refuse["reason"] as? String
        }
        for attack in hostile {
            let reason = refusals[attack.shard] ?? "no refusal"
            #expect(
                reason.contains(attack.item) && reason.contains(attack.rule),
                "\(attack.shard) \(attack.item): \(reason)"
            )
            #expect(
                await worker.waitFor("refused shard \(attack.shard)", timeout: 10) != nil,
                "the worker logs the refusal of \(attack.shard)\n\(worker.errors)"
            )
        }

        // 2. A good item in an `assign` that also names a command: the protocol has no such field,
        //    and the worker runs its configured pytest command, not this.
        var assign = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    try MessageCoder().encode(
                        .assign(
                            AssignMessage(
                                shardID: "s0006",
                                attempt: 1,
                                items: ["tests/test_good.py"],
                                timeoutSeconds: 60
                            )
                        )
                    )
                )
            ) as? [String: Any]
        )
        assign["command"] = ["sh", "-c", "touch \(injectedMarker)"]
        assign["argv"] = ["sh", "-c", "touch \(injectedMarker)"]
        connection.sendFrame(try JSONSerialization.data(withJSONObject: assign).map { $0 })
        let started = try #require(connection.readMessage(ofType: "shard_started", timeout: 30), "\(worker.transcript)")
        let argv = started["command"] as? [String] ?? []
        #expect(Array(argv.prefix(3)) == ["python3", "-m", "pytest"], "\(argv)")
        #expect(!argv.joined(separator: " ").contains(injectedMarker), "\(argv)")
        let result = try #require(connection.readMessage(ofType: "shard_result", timeout: 60), "\(worker.transcript)")
        #expect(result["shard_id"] as? String == "s0006")
        #expect((result["tests"] as? [[String: Any]])?.count == 2, "\(result)")

        // 3. Drained, the worker says goodbye and exits cleanly.
        connection.sendFrame(try MessageCoder().encode(.drain(DrainMessage(reason: "run complete"))))
        #expect(connection.readMessage(ofType: "goodbye", timeout: 20) != nil, "\(worker.transcript)")
        #expect(await worker.wait(timeout: 30) == 0, "\(worker.transcript)")

        #expect(
            !FileManager.default.fileExists(atPath: marker),
            "a refused item ran: \((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "")"
        )
        #expect(!FileManager.default.fileExists(atPath: injectedMarker), "the injected command ran")
    }
}

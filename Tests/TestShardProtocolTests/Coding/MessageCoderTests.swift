import Foundation
import TestShardModel
import TestShardProtocol
import Testing

@Suite struct MessageCoderTests {
    let coder = MessageCoder()

    func decode(_ json: String) throws(ProtocolError) -> ProtocolMessage {
        try coder.decode(Array(json.utf8))
    }

    func decodeError(_ json: String) -> ProtocolError? {
        #expect(throws: ProtocolError.self) { try decode(json) }
    }

    // MARK: - Round trips

    @Test(arguments: MessageType.allCases)
    func everyMessageTypeSurvivesARoundTrip(_ type: MessageType) throws {
        let message = Fixtures.message(type)
        let bytes = try coder.encode(message)
        #expect(try coder.decode(bytes) == message)
    }

    @Test func everyMessageTypeHasAFixture() {
        #expect(Set(Fixtures.everyMessage.map(\.type)) == Set(MessageType.allCases))
    }

    @Test func aShardResultWithUnicodeControlCharactersAndLongTextsSurvives() throws {
        let bytes = try coder.encode(.shardResult(Fixtures.shardResult))
        #expect(bytes.count > 90_000)
        // Control characters travel escaped: the JSON itself holds none.
        #expect(!bytes.contains { $0 < 0x20 })
        guard case .shardResult(let decoded) = try coder.decode(bytes) else {
            Issue.record("decoded to another type")
            return
        }
        #expect(decoded == Fixtures.shardResult)
        #expect(decoded.tests[1].failure?.message.contains("\u{0}\u{1B}[31m") == true)
    }

    // MARK: - The wire form

    @Test func keysAreSnakeCaseWithTheTypeDiscriminator() throws {
        let json = String(decoding: try coder.encode(.assign(Fixtures.assign)), as: UTF8.self)
        #expect(
            json
                == #"{"attempt":1,"items":["tests/api/test_users.py","tests/big/test_slow.py::TestSlow::test_one"],"#
                + #""profile":null,"shard_id":"s0042","timeout_seconds":1200,"type":"assign"}"#
        )
    }

    @Test func nestedTestResultsUseSnakeCaseToo() throws {
        let json = String(decoding: try coder.encode(.shardResult(Fixtures.shardResult)), as: UTF8.self)
        #expect(json.contains(#""skip_reason":"needs docker"#))
        #expect(json.contains(#""items_without_results":["tests/api/test_never.py"]"#))
        #expect(json.contains(#""junit_state":"ok""#))
        #expect(json.contains(#""exit":{"code":1,"kind":"tests_failed"}"#))
        #expect(!json.contains("skipReason"))
    }

    @Test func aHandWrittenHelloDecodes() throws {
        let message = try decode(
            #"{"type":"hello","protocol_version":1,"worker_name":"ci-worker-3","hostname":"ci-3.example","#
                + #""slots":4,"revision":"9fceb02d0ae598e95dc970b74767f19372d61af8","dirty":false,"#
                + #""runner":"pytest","software_version":"0.1.0","pid":4242}"#
        )
        #expect(message == .hello(Fixtures.hello))
    }

    @Test func unknownExtraKeysAreIgnored() throws {
        let message = try decode(#"{"type":"drain","reason":"done","added_in_v2":{"x":[1,2]},"note":null}"#)
        #expect(message == .drain(DrainMessage(reason: "done")))
    }

    @Test func nullableKeysMayBeAbsentOrNull() throws {
        let absent = try decode(#"{"type":"assign","shard_id":"s1","attempt":1,"items":["a.py"],"timeout_seconds":60}"#)
        let null = try decode(
            #"{"type":"assign","shard_id":"s1","attempt":1,"items":["a.py"],"timeout_seconds":60,"profile":null}"#
        )
        #expect(absent == null)
    }

    // MARK: - Bad input

    @Test func invalidJSONIsInvalidJSON() {
        #expect(decodeError(#"{"type":"drain","reason":"#)?.code == .invalidJSON)
        #expect(decodeError("not json at all")?.code == .invalidJSON)
        #expect(decodeError(#"["type","drain"]"#)?.code == .invalidJSON)
        #expect(decodeError("null")?.code == .invalidJSON)
    }

    @Test func bytesThatAreNotUTF8AreInvalidJSON() throws {
        let bytes = Array(#"{"type":"drain","reason":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let error = #expect(throws: ProtocolError.self) { try coder.decode(bytes) }
        #expect(error?.code == .invalidJSON)
    }

    @Test func deepNestingIsRefusedWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(decodeError(deep)?.code == .invalidJSON)
        let deepObject =
            #"{"type":"drain","reason":"x","extra":"# + String(repeating: #"{"a":"#, count: 50_000) + "1"
            + String(repeating: "}", count: 50_001)
        #expect(decodeError(deepObject)?.code == .invalidJSON)
    }

    @Test func anUnknownTypeIsItsOwnErrorNamingTheType() {
        let error = decodeError(#"{"type":"ping","seq":1}"#)
        #expect(error?.code == .unknownType)
        #expect(error?.message.hasPrefix(#"unknown message type "ping""#) == true)
    }

    @Test func aMissingTypeIsAMissingField() {
        let error = decodeError(#"{"reason":"x"}"#)
        #expect(error?.code == .missingField)
        #expect(error?.message == #"missing required field "type""#)
    }

    @Test func aMissingFieldIsNamedWithItsPathAndMessageType() {
        let hello = decodeError(#"{"type":"hello","protocol_version":1,"worker_name":"w","hostname":"h","slots":1}"#)
        #expect(hello?.code == .missingField)
        #expect(hello?.message == #"missing required field "dirty" in a "hello" message"#)

        var result =
            try! JSONSerialization.jsonObject(with: Data(try! coder.encode(.shardResult(Fixtures.shardResult))))
            as! [String: Any]
        var tests = result["tests"] as! [[String: Any]]
        tests[2].removeValue(forKey: "status")
        result["tests"] = tests
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: result), as: UTF8.self)
        let nested = decodeError(json)
        #expect(nested?.code == .missingField)
        #expect(nested?.message == #"missing required field "tests[2].status" in a "shard_result" message"#)
    }

    /// `file_seconds` is optional (a worker before it sends none) and must hold seconds ≥ 0.
    @Test func fileSecondsAreOptionalAndChecked() throws {
        var result =
            try JSONSerialization.jsonObject(with: Data(try coder.encode(.shardResult(Fixtures.shardResult))))
            as! [String: Any]
        #expect(result["file_seconds"] as? [String: Double] == Fixtures.shardResult.fileSeconds)
        result.removeValue(forKey: "file_seconds")
        let without = String(decoding: try JSONSerialization.data(withJSONObject: result), as: UTF8.self)
        guard case .shardResult(let decoded) = try decode(without) else {
            Issue.record("decoded to another type")
            return
        }
        #expect(decoded.fileSeconds.isEmpty)
        result["file_seconds"] = ["tests/api/test_users.py": -1.5]
        let negative = String(decoding: try JSONSerialization.data(withJSONObject: result), as: UTF8.self)
        let error = decodeError(negative)
        #expect(error?.message.contains("file_seconds") == true)
        #expect(error?.message.contains("tests/api/test_users.py") == true)
    }

    @Test func aValueOfTheWrongTypeIsAnInvalidField() {
        let error = decodeError(
            #"{"type":"hello","protocol_version":1,"worker_name":"w","hostname":"h","slots":"two","dirty":false,"#
                + #""runner":"pytest","software_version":"1","pid":1}"#
        )
        #expect(error?.code == .invalidField)
        #expect(error?.message == #"field "slots" in a "hello" message must be an integer"#)
    }

    @Test func outOfRangeValuesAreInvalidFields() {
        let attempt = decodeError(#"{"type":"cancel","shard_id":"s1","attempt":0,"reason":"x"}"#)
        #expect(attempt?.code == .invalidField)
        #expect(attempt?.message == #"field "attempt" must be an attempt number ≥ 1, got 0"#)

        let nested = decodeError(
            #"{"type":"heartbeat","running":[{"shard_id":"s1","attempt":1},{"shard_id":"","attempt":1}]}"#
        )
        #expect(nested?.message == #"field "running[1].shard_id" must not be empty"#)

        let items = decodeError(#"{"type":"assign","shard_id":"s1","attempt":1,"items":[],"timeout_seconds":60}"#)
        #expect(items?.message == #"field "items" must list at least one item"#)

        let timeout = decodeError(#"{"type":"assign","shard_id":"s1","attempt":1,"items":["a"],"timeout_seconds":-5}"#)
        #expect(timeout?.code == .invalidField)

        let status = decodeError(
            #"{"type":"shard_result","shard_id":"s1","attempt":1,"slot":0,"started_at":1,"ended_at":2,"#
                + #""exit":{"kind":"exploded"},"tests":[],"items_without_results":[],"items_without_tests":[],"#
                + #""log_tail":[],"command":[],"junit_state":"ok"}"#
        )
        #expect(status?.code == .invalidField)
        #expect(status?.message.hasPrefix(#"field "exit.kind" in a "shard_result" message is invalid"#) == true)
    }

    @Test func aShardIDWithControlCharactersIsRefusedAndQuotedSafely() {
        let error = decodeError(#"{"type":"cancel","shard_id":"s1\nFAKE LOG LINE","attempt":1,"reason":"x"}"#)
        #expect(error?.code == .invalidField)
        #expect(error?.description.contains("\n") == false)
        #expect(error?.message.contains(#""s1\nFAKE LOG LINE""#) == true)
    }

    @Test func aHelloOfAnotherVersionIsAWrongVersionEvenIfItsFieldsDiffer() {
        let error = decodeError(#"{"type":"hello","protocol_version":2,"name":"w","capabilities":["x"]}"#)
        #expect(error?.code == .wrongVersion)
        #expect(error?.message.hasPrefix("the worker speaks protocol version 2, this side speaks 1") == true)
    }

    @Test func aChallengeOfAnotherVersionIsAWrongVersionEvenIfItsFieldsDiffer() {
        let error = decodeError(#"{"type":"challenge","protocol_version":7,"salt":"x"}"#)
        #expect(error?.code == .wrongVersion)
        #expect(error?.message.hasPrefix("the coordinator speaks protocol version 7") == true)
    }

    // MARK: - Encoding limits

    @Test func aNonFiniteNumberCannotBeEncoded() {
        var result = Fixtures.shardResult
        result.tests[0].duration = .nan
        let error = #expect(throws: ProtocolError.self) { try coder.encode(.shardResult(result)) }
        #expect(error?.code == .encodingFailed)
        #expect(error?.message.contains("tests[0].duration") == true)
    }

    @Test func aMessageAboveTheFrameLimitIsRefusedBeforeSending() {
        let small = MessageCoder(maximumFrameLength: 1000)
        let error = #expect(throws: ProtocolError.self) { try small.encode(.shardResult(Fixtures.shardResult)) }
        #expect(error?.code == .encodingFailed)
        #expect(error?.message.contains("above the frame limit of 1000 bytes") == true)
    }

    @Test func encodeFrameIsLengthThenBody() throws {
        let frame = try coder.encodeFrame(.drain(DrainMessage(reason: "x")))
        #expect(frame == Fixtures.frame(#"{"reason":"x","type":"drain"}"#))
    }
}

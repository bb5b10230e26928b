import TestShardProtocol
import Testing

@Suite struct HelloMessageTests {
    static func hello(replacing key: String, with value: String) -> String {
        var fields: [String: String] = [
            "protocol_version": "1", "worker_name": #""w1""#, "hostname": #""h1""#, "slots": "2",
            "revision": "null", "dirty": "false", "runner": #""pytest""#, "software_version": #""0.1""#, "pid": "7",
        ]
        fields[key] = value
        return "{\"type\":\"hello\","
            + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
            .joined(separator: ",") + "}"
    }

    @Test(arguments: ["worker_name", "hostname", "runner", "software_version", "revision"])
    func helloTextWithControlCharactersIsRefused(_ key: String) {
        let json = Self.hello(replacing: key, with: #""x\u001b[2Jy""#)
        let error = #expect(throws: ProtocolError.self) { try MessageCoder().decode(Array(json.utf8)) }
        #expect(error?.code == .invalidField)
        #expect(error?.message.hasPrefix("field \"\(key)\" contains control characters") == true)
    }

    @Test func anEmptyWorkerNameIsRefused() {
        let json = Self.hello(replacing: "worker_name", with: #""""#)
        let error = #expect(throws: ProtocolError.self) { try MessageCoder().decode(Array(json.utf8)) }
        #expect(error?.message == #"field "worker_name" must not be empty"#)
    }

    @Test func slotsOutOfRangeAreRefused() {
        let json = Self.hello(replacing: "slots", with: "0")
        let error = #expect(throws: ProtocolError.self) { try MessageCoder().decode(Array(json.utf8)) }
        #expect(error?.message == #"field "slots" must be between 1 and 4096, got 0"#)
    }

    @Test func aValidHandWrittenHelloPasses() throws {
        let message = try MessageCoder().decode(Array(Self.hello(replacing: "revision", with: #""abc123""#).utf8))
        guard case .hello(let hello) = message else {
            Issue.record("not a hello")
            return
        }
        #expect(hello.revision == "abc123")
        #expect(hello.slots == 2)
    }
}

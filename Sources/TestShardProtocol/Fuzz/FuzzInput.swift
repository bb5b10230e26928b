import Foundation

/// One fuzz input: the bytes a hostile peer sends on one connection, and how they are chunked.
struct FuzzInput {
    enum Kind: String {
        /// Bytes with no structure.
        case randomBytes
        /// A valid frame with byte-level damage (possibly to its length field).
        case mutatedFrame
        /// A correctly framed JSON object with structural damage.
        case mutatedJSON
        /// A length field of 0, just above a limit, or near 4 GiB, followed by a few bytes.
        case badLength
        /// Several valid messages in one stream, one of them damaged.
        case frameSequence
        /// Valid traffic of random message types.
        case validSequence
    }

    typealias Generator = ProtocolFuzzer.SeededGenerator

    var kind: Kind
    var stream: [UInt8]
    var nonce: AuthNonce
    /// The largest read the peer's bytes arrive in (1 = byte at a time).
    var maximumChunk: Int

    static func make(using rng: inout Generator, context: FuzzContext) -> FuzzInput {
        let nonce = AuthNonce(using: &rng)
        var stream = prefix(using: &rng, context: context, nonce: nonce)
        let kind = [
            Kind.randomBytes, .mutatedFrame, .mutatedFrame, .mutatedJSON, .mutatedJSON, .mutatedJSON,
            .badLength, .frameSequence, .validSequence,
        ].randomElement(using: &rng)!
        switch kind {
        case .randomBytes:
            stream += (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case .mutatedFrame:
            stream += mutateBytes(frame(FuzzMessages.random(using: &rng), context: context), using: &rng)
        case .mutatedJSON:
            stream += framed(mutateJSON(body(FuzzMessages.random(using: &rng), context: context), using: &rng))
        case .badLength:
            stream += badLength(using: &rng, context: context)
        case .frameSequence:
            let count = Int.random(in: 2...5, using: &rng)
            let damaged = Int.random(in: 0..<count, using: &rng)
            for index in 0..<count {
                let message = FuzzMessages.random(using: &rng)
                stream +=
                    index == damaged
                    ? framed(mutateJSON(body(message, context: context), using: &rng))
                    : frame(message, context: context)
            }
        case .validSequence:
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                stream += frame(FuzzMessages.random(using: &rng), context: context)
            }
        }
        let maximumChunk = [1, 3, 7, 64, 4096, max(1, stream.count)].randomElement(using: &rng)!
        return FuzzInput(kind: kind, stream: stream, nonce: nonce, maximumChunk: maximumChunk)
    }

    /// Nothing, a valid `hello`, or a valid `hello` and a correct `auth`: the state the hostile
    /// part starts from.
    private static func prefix(using rng: inout Generator, context: FuzzContext, nonce: AuthNonce) -> [UInt8] {
        let depth = Int.random(in: 0...2, using: &rng)
        guard depth > 0 else { return [] }
        let name = FuzzMessages.identifier(using: &rng)
        var bytes = frame(.hello(FuzzMessages.hello(name: name)), context: context)
        if depth == 2 {
            let mac = HandshakeAuthenticator.mac(
                token: context.token,
                nonce: nonce,
                workerName: name,
                runID: context.configuration.runID
            )
            bytes += frame(.auth(AuthMessage(mac: mac)), context: context)
        }
        return bytes
    }

    // MARK: - Building frames

    private static func body(_ message: ProtocolMessage, context: FuzzContext) -> [UInt8] {
        // Random messages are valid by construction; a failure here would be a fuzzer bug, and
        // shows up as a violation-free run with fewer decodes rather than a crash.
        (try? context.roundTripCoder.encode(message)) ?? Array("{}".utf8)
    }

    private static func frame(_ message: ProtocolMessage, context: FuzzContext) -> [UInt8] {
        framed(body(message, context: context))
    }

    static func framed(_ body: [UInt8]) -> [UInt8] {
        lengthField(UInt32(truncatingIfNeeded: body.count)) + body
    }

    static func lengthField(_ length: UInt32) -> [UInt8] {
        [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
    }

    // MARK: - Damage

    private static func mutateBytes(_ input: [UInt8], using rng: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 2:
                bytes.insert(
                    contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                        UInt8.random(in: 0...255, using: &rng)
                    },
                    at: at
                )
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng)))
            case 4: bytes.removeSubrange(at...)
            case 5:
                // Rewrite the length field: near the truth, or anything.
                let truth = Int(bytes.count) - 4
                let length =
                    Bool.random(using: &rng)
                    ? UInt32(clamping: max(0, truth + Int.random(in: -3...3, using: &rng)))
                    : UInt32.random(in: 0...UInt32.max, using: &rng)
                if bytes.count >= 4 { bytes.replaceSubrange(0..<4, with: lengthField(length)) }
            default:
                // A byte that matters to JSON.
                bytes[at] = Array("{}[]\",:\\0-e.tfn".utf8).randomElement(using: &rng)!
            }
        }
        return bytes
    }

    private static var strangeValues: [Any] {
        [
            "", "x", -1, 0, 1, 4_294_967_296, 1e300, -1e-300, true, false, NSNull(), [Any](), [String: Any](),
            ["nested": ["deeper": [1, 2, 3]]], String(repeating: "y", count: 300),
        ]
    }

    private static func mutateJSON(_ body: [UInt8], using rng: inout Generator) -> [UInt8] {
        if Int.random(in: 0..<8, using: &rng) == 0 { return rawOddity(using: &rng) }
        guard var object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return body }
        let keys = object.keys.sorted()
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            if let key = keys.randomElement(using: &rng) { object.removeValue(forKey: key) }
        case 1:
            if let key = keys.randomElement(using: &rng) { object[key] = strangeValues.randomElement(using: &rng)! }
        case 2:
            object["type"] = MessageType.allCases.randomElement(using: &rng)!.rawValue
        case 3:
            object["type"] = ["ping", "pong", "HELLO", "", "shard-result", "hello ", "\u{0}"].randomElement(
                using: &rng
            )!
        case 4:
            object["x_future_\(Int.random(in: 0...9, using: &rng))"] = strangeValues.randomElement(using: &rng)!
        default:
            // Damage inside an array of objects (tests, running, handed_back) or a nested object.
            for key in keys.shuffled(using: &rng) {
                if var array = object[key] as? [Any], !array.isEmpty {
                    let index = Int.random(in: 0..<array.count, using: &rng)
                    if var element = array[index] as? [String: Any],
                        let inner = element.keys.sorted().randomElement(using: &rng)
                    {
                        if Bool.random(using: &rng) {
                            element.removeValue(forKey: inner)
                        } else {
                            element[inner] = strangeValues.randomElement(using: &rng)!
                        }
                        array[index] = element
                    } else {
                        array[index] = strangeValues.randomElement(using: &rng)!
                    }
                    object[key] = array
                    break
                }
                if var nested = object[key] as? [String: Any],
                    let inner = nested.keys.sorted().randomElement(using: &rng)
                {
                    nested[inner] = strangeValues.randomElement(using: &rng)!
                    object[key] = nested
                    break
                }
            }
        }
        return (try? JSONSerialization.data(withJSONObject: object)).map { [UInt8]($0) } ?? body
    }

    /// JSON texts that parsers get wrong: deep nesting, numbers beyond Int or Double, broken
    /// escapes and surrogates, trailing garbage, a byte-order mark, not-UTF-8.
    private static func rawOddity(using rng: inout Generator) -> [UInt8] {
        let depth = Int.random(in: 100...20_000, using: &rng)
        let fixed: [String] = [
            #"{"type":"hello","protocol_version":1e400}"#,
            #"{"type":"hello","protocol_version":99999999999999999999999}"#,
            #"{"type":"hello","protocol_version":2,"worker":"w","features":["x"]}"#,
            #"{"type":"hello","protocol_version":0,"worker_name":"w","hostname":"h","slots":1,"dirty":false,"#
                + #""runner":"pytest","software_version":"9","pid":1}"#,
            #"{"type":"challenge","protocol_version":3}"#,
            #"{"type":"heartbeat","running":[{"shard_id":"s1","attempt":-9223372036854775809}]}"#,
            #"{"type":"drain","reason":"\ud800"}"#,
            #"{"type":"drain","reason":"\u12"}"#,
            #"{"type":"drain","reason":"ok"} trailing"#,
            "\u{FEFF}{\"type\":\"drain\",\"reason\":\"bom\"}",
            #"{"type":"drain","reason":"dup","reason":"dup2"}"#,
            #"{"type":"drain""#,
            "null", "[]", "\"hello\"", "1", "true",
        ]
        // Only the chosen text is built: the nested ones are large.
        let choice = Int.random(in: 0..<(fixed.count + 2), using: &rng)
        let text =
            switch choice {
            case fixed.count: String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            case fixed.count + 1:
                String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            default: fixed[choice]
            }
        var bytes = Array(text.utf8)
        if Int.random(in: 0..<4, using: &rng) == 0 { bytes.append(contentsOf: [0xC3, 0x28, 0xFF, 0xFE]) }
        return bytes
    }

    private static func badLength(using rng: inout Generator, context: FuzzContext) -> [UInt8] {
        let limits = context.limits
        let choices: [UInt32] = [
            0, UInt32.max, UInt32.max - 1, UInt32(clamping: limits.maximumFrameLength + 1),
            UInt32(clamping: limits.handshakeMaximumFrameLength + 1), UInt32(clamping: limits.maximumFrameLength),
            UInt32.random(in: 0...UInt32.max, using: &rng),
        ]
        let length = choices.randomElement(using: &rng)!
        return lengthField(length) + (0..<Int.random(in: 0...8, using: &rng)).map { _ in UInt8(ascii: "{") }
    }
}

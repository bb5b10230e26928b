// Maps what `JSONDecoder`/`JSONEncoder` throw onto `ProtocolError`, naming the field by its wire
// path. Kept apart so the coder stays a few lines.

extension ProtocolError {
    /// The `ProtocolError` for any error thrown while decoding a frame of `messageType` (when the
    /// frame's type could be read).
    static func decoding(_ error: any Error, messageType: String?) -> ProtocolError {
        if let error = error as? ProtocolError { return error }
        let inMessage = messageType.map { " in a \(LogText.quoted($0, limit: 40)) message" } ?? ""
        guard let error = error as? DecodingError else {
            return ProtocolError(
                code: .invalidJSON,
                message:
                    "the frame could not be decoded\(inMessage): \(LogText.oneLine(String(describing: error), limit: 200))"
            )
        }
        switch error {
        case .keyNotFound(let key, let context):
            let path = CodingPathText.format(context.codingPath + [key])
            return ProtocolError(code: .missingField, message: "missing required field \"\(path)\"\(inMessage)")
        case .valueNotFound(let type, let context):
            if context.codingPath.isEmpty {
                return ProtocolError(
                    code: .invalidJSON,
                    message: "the frame is JSON null; every message is a JSON object with a \"type\" key"
                )
            }
            let path = CodingPathText.format(context.codingPath)
            return ProtocolError(
                code: .invalidField,
                message: "field \"\(path)\"\(inMessage) is null but must be \(typeName(type))"
            )
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return ProtocolError(
                    code: .invalidJSON,
                    message: "the frame is JSON but not an object; every message is a JSON object with a \"type\" key"
                )
            }
            let path = CodingPathText.format(context.codingPath)
            return ProtocolError(
                code: .invalidField,
                message: "field \"\(path)\"\(inMessage) must be \(typeName(type))"
            )
        case .dataCorrupted(let context):
            let detail = LogText.oneLine(context.debugDescription, limit: 200)
            if context.codingPath.isEmpty {
                return ProtocolError(code: .invalidJSON, message: "the frame is not valid UTF-8 JSON: \(detail)")
            }
            let path = CodingPathText.format(context.codingPath)
            return ProtocolError(code: .invalidField, message: "field \"\(path)\"\(inMessage) is invalid: \(detail)")
        @unknown default:
            return ProtocolError(
                code: .invalidJSON,
                message:
                    "the frame could not be decoded\(inMessage): \(LogText.oneLine(String(describing: error), limit: 200))"
            )
        }
    }

    /// The `ProtocolError` for an error thrown while encoding `type`.
    static func encoding(_ error: any Error, messageType: MessageType) -> ProtocolError {
        if let error = error as? ProtocolError { return error }
        var detail = LogText.oneLine(String(describing: error), limit: 200)
        if let error = error as? EncodingError, case .invalidValue(let value, let context) = error {
            detail =
                "field \"\(CodingPathText.format(context.codingPath))\" holds \(value), which JSON cannot carry"
        }
        return ProtocolError(
            code: .encodingFailed,
            message: "a \"\(messageType.rawValue)\" message could not be encoded: \(detail) (a bug in the sender)"
        )
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = "\(type)"
        switch name {
        case "String": return "a string"
        case "Bool": return "true or false"
        case "Int", "Int32", "Int64", "UInt32", "UInt64": return "an integer"
        case "Double", "Float": return "a number"
        default:
            if name.hasPrefix("Array<") { return "an array" }
            if name.hasPrefix("Dictionary<") { return "an object" }
            return "a value of type \(name)"
        }
    }
}

/// Literal text inside a regular expression, for the selection options runners take
/// (`node --test-name-pattern`, `swift test --filter`): every metacharacter of JavaScript,
/// `NSRegularExpression` and Swift `Regex` syntax is escaped with a backslash. Nothing else is:
/// JavaScript's `u` mode and Swift `Regex` reject escapes of ordinary characters.
enum RegexText {
    private static let metacharacters: Set<Character> = [
        "\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}",
    ]

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            if metacharacters.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

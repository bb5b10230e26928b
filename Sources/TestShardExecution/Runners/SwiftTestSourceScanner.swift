/// Finds the tests a Swift source file declares (`SwiftTestDeclarations`) from its tokens.
///
/// 1. Lex: identifiers, `@attributes`, braces and parentheses; comments (nested `/* */` too),
///    string literals (`"…"`, `"""…"""`, raw `#"…"#`, interpolations) are skipped, so a brace or
///    `func` inside them changes nothing.
/// 2. Walk the tokens with a stack of brace contexts: a `{` after `struct|class|enum|actor|
///    extension|protocol Name` opens a type, any other `{` a body. A `func` is a member only when
///    every open context is a type (not inside a function body).
/// 3. A member `func` after `@Test` is a swift-testing test; a member `func test…()` of a class
///    with a superclass makes that class an XCTest class.
///
/// Pure and total: any bytes give an answer (unbalanced braces just end the walk's contexts).
public enum SwiftTestSourceScanner {
    public static func scan(_ source: String) -> SwiftTestDeclarations {
        var lexer = Lexer(bytes: Array(source.utf8))
        var tokens: [Token] = []
        while let token = lexer.next() { tokens.append(token) }
        return Walker(tokens: tokens).walk()
    }

    enum Token: Equatable {
        /// An identifier or keyword; `quoted` for a backticked identifier, never a keyword.
        case word(String, quoted: Bool)
        /// `@Name` (dotted names keep their last part: `@Testing.Test` is `Test`).
        case attribute(String)
        case openBrace, closeBrace, openParen, closeParen
        /// Any other punctuation byte (`:`, `.`, `<`, `,`, …).
        case punctuation(UInt8)
    }

    // MARK: - Lexer

    struct Lexer {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        private func peek(_ offset: Int = 0) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        static func isIdentifierByte(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
        }

        mutating func next() -> Token? {
            while let byte = peek() {
                switch byte {
                case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                    index += 1
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                    while let c = peek(), c != 0x0A { index += 1 }
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                    skipBlockComment()
                case UInt8(ascii: "\""):
                    skipString(hashes: 0)
                case UInt8(ascii: "#"):
                    var hashes = 0
                    while peek(hashes) == UInt8(ascii: "#") { hashes += 1 }
                    if peek(hashes) == UInt8(ascii: "\"") {
                        index += hashes
                        skipString(hashes: hashes)
                    } else {
                        index += 1
                    }
                case UInt8(ascii: "@"):
                    index += 1
                    var name = ""
                    while let c = peek(), Self.isIdentifierByte(c) || c == UInt8(ascii: ".") {
                        name.append(Character(Unicode.Scalar(c)))
                        index += 1
                    }
                    // Keep bytes ≥ 0x80 out of the way: attribute names we care about are ASCII.
                    return .attribute(String(name.split(separator: ".").last ?? ""))
                case UInt8(ascii: "`"):
                    index += 1
                    let start = index
                    while let c = peek(), c != UInt8(ascii: "`"), c != 0x0A { index += 1 }
                    let word = String(decoding: bytes[start..<index], as: UTF8.self)
                    if peek() == UInt8(ascii: "`") { index += 1 }
                    return .word(word, quoted: true)
                case UInt8(ascii: "{"):
                    index += 1
                    return .openBrace
                case UInt8(ascii: "}"):
                    index += 1
                    return .closeBrace
                case UInt8(ascii: "("):
                    index += 1
                    return .openParen
                case UInt8(ascii: ")"):
                    index += 1
                    return .closeParen
                default:
                    if Self.isIdentifierByte(byte) {
                        let start = index
                        while let c = peek(), Self.isIdentifierByte(c) { index += 1 }
                        return .word(String(decoding: bytes[start..<index], as: UTF8.self), quoted: false)
                    }
                    index += 1
                    return .punctuation(byte)
                }
            }
            return nil
        }

        private mutating func skipBlockComment() {
            index += 2
            var depth = 1
            while depth > 0, let c = peek() {
                if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                    depth += 1
                    index += 2
                } else if c == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                    depth -= 1
                    index += 2
                } else {
                    index += 1
                }
            }
        }

        /// Skips a string literal starting at its first `"` (after any `#`s), through its
        /// terminator: `"` (or `"""`) followed by `hashes` `#`s.
        private mutating func skipString(hashes: Int) {
            let multiline = peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
            let quotes = multiline ? 3 : 1
            index += quotes
            while let c = peek() {
                if c == UInt8(ascii: "\\") {
                    // An escape: in a raw string only when followed by its `#`s.
                    var escapeHashes = 0
                    while escapeHashes < hashes, peek(1 + escapeHashes) == UInt8(ascii: "#") { escapeHashes += 1 }
                    guard escapeHashes == hashes else {
                        index += 1
                        continue
                    }
                    index += 1 + hashes
                    if peek() == UInt8(ascii: "(") {
                        skipInterpolation()
                    } else if peek() != nil {
                        index += 1
                    }
                    continue
                }
                if !multiline && c == 0x0A && hashes == 0 {
                    // An unterminated single-line string ends at the line's end.
                    return
                }
                if c == UInt8(ascii: "\"") && closes(quotes: quotes, hashes: hashes) {
                    index += quotes + hashes
                    return
                }
                index += 1
            }
        }

        private func closes(quotes: Int, hashes: Int) -> Bool {
            for offset in 0..<quotes where peek(offset) != UInt8(ascii: "\"") { return false }
            for offset in 0..<hashes where peek(quotes + offset) != UInt8(ascii: "#") { return false }
            return true
        }

        /// Skips `( … )` of an interpolation, strings inside it included.
        private mutating func skipInterpolation() {
            index += 1
            var depth = 1
            while depth > 0, let c = peek() {
                switch c {
                case UInt8(ascii: "("):
                    depth += 1
                    index += 1
                case UInt8(ascii: ")"):
                    depth -= 1
                    index += 1
                case UInt8(ascii: "\""):
                    skipString(hashes: 0)
                default:
                    index += 1
                }
            }
        }
    }

    // MARK: - Walker

    struct Walker {
        let tokens: [Token]

        enum TypeKind { case type, classType, extensionType }

        struct Context {
            /// The type's path parts (`["Outer", "Inner"]` for `extension Outer.Inner`); `nil` for a body.
            var names: [String]?
            var kind: TypeKind = .type
            var hasSuperclass = false
        }

        struct PendingType {
            var names: [String]
            var kind: TypeKind
            var hasSuperclass = false
        }

        static let typeKeywords: Set<String> = ["struct", "class", "enum", "actor", "extension", "protocol"]
        static let declarationKeywords: Set<String> = [
            "func", "var", "let", "init", "deinit", "subscript", "typealias", "case", "import", "associatedtype",
            "operator", "precedencegroup", "macro",
        ]

        func walk() -> SwiftTestDeclarations {
            var result = SwiftTestDeclarations()
            var stack: [Context] = []
            var pendingType: PendingType? = nil
            var pendingTest = false
            var parenDepth = 0
            var xctestCandidates = Set<String>()
            var index = 0

            func word(at position: Int) -> String? {
                guard position < tokens.count, case .word(let text, let quoted) = tokens[position] else { return nil }
                return quoted || !Self.typeKeywords.union(Self.declarationKeywords).contains(text) ? text : nil
            }
            var memberPath: [String]? {
                var path: [String] = []
                for context in stack {
                    guard let names = context.names else { return nil }
                    path += names
                }
                return path
            }

            while index < tokens.count {
                let token = tokens[index]
                index += 1
                switch token {
                case .openParen:
                    parenDepth += 1
                case .closeParen:
                    parenDepth = max(0, parenDepth - 1)
                case .openBrace:
                    if parenDepth == 0, let type = pendingType {
                        stack.append(Context(names: type.names, kind: type.kind, hasSuperclass: type.hasSuperclass))
                    } else {
                        stack.append(Context(names: nil))
                    }
                    pendingType = nil
                    if parenDepth == 0 { pendingTest = false }
                case .closeBrace:
                    if !stack.isEmpty { stack.removeLast() }
                    if parenDepth == 0 { pendingTest = false }
                case .attribute(let name):
                    if parenDepth == 0 && name == "Test" { pendingTest = true }
                case .punctuation(let byte):
                    if byte == UInt8(ascii: ":"), parenDepth == 0, pendingType != nil {
                        pendingType?.hasSuperclass = true
                    }
                case .word(let text, let quoted):
                    guard !quoted, parenDepth == 0 else { continue }
                    if Self.typeKeywords.contains(text), let name = word(at: index) {
                        // `class func` / `class var` are members, not types: `word(at:)` refuses keywords.
                        var names = [name]
                        index += 1
                        while index + 1 < tokens.count, tokens[index] == .punctuation(UInt8(ascii: ".")),
                            let part = word(at: index + 1)
                        {
                            names.append(part)
                            index += 2
                        }
                        let kind: TypeKind = text == "class" ? .classType : text == "extension" ? .extensionType : .type
                        pendingType = PendingType(names: names, kind: kind)
                        pendingTest = false
                    } else if text == "import" {
                        if word(at: index) == "Testing" { result.importsTesting = true }
                        pendingTest = false
                    } else if text == "func" {
                        defer { pendingTest = false }
                        guard let name = word(at: index), let path = memberPath else { continue }
                        if pendingTest {
                            result.testFunctions.insert((path + [name]).joined(separator: "."))
                        } else if name.hasPrefix("test"), let context = stack.last, context.kind == .classType,
                            context.hasSuperclass, index + 2 < tokens.count, tokens[index + 1] == .openParen,
                            tokens[index + 2] == .closeParen
                        {
                            xctestCandidates.insert(path.joined(separator: "."))
                        }
                    } else if Self.declarationKeywords.contains(text) {
                        pendingTest = false
                    }
                }
            }
            result.xctestClasses = xctestCandidates
            return result
        }
    }
}

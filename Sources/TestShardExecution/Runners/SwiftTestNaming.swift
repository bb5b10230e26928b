import TestShardModel

/// How `swift test` names tests, and how TestShard names them.
///
/// Items are test source files (`Tests/LibTests/MathTests.swift`), the unit a suite's inventory,
/// history and report are made of. The test target is the folder below `Tests/`; its module name
/// is the target's with characters an identifier cannot hold turned into `_`.
///
/// | test                       | swift's identifier (`--filter` matches it)       | TestShard's id                        |
/// |----------------------------|--------------------------------------------------|---------------------------------------|
/// | `@Test func adds()` in `MathSuite` | `LibTests.MathSuite/adds()/MathTests.swift:5:6` | `Tests/LibTests/MathTests.swift::MathSuite::adds()` |
/// | nested suite               | `LibTests.MathSuite/Inner/nested()/…`            | `…::MathSuite::Inner::nested()`       |
/// | `@Test func free()` at file scope | `LibTests.free()/MathTests.swift:14:2`    | `…::free()`                           |
/// | XCTest `testAdd` of `MathXCTests` | `LibTests.MathXCTests/testAdd`            | `…::MathXCTests::testAdd`             |
///
/// Selection (`--filter`, one regex each, any may match):
/// - a whole file: its swift-testing tests by source location (`^LibTests\..*/MathTests\.swift:L:C$`
///   — swift-testing identifiers end with it, and a module cannot hold two files of one name), and
///   each XCTest class it declares (`^LibTests\.MathXCTests/`);
/// - one test: its identifier, exactly.
///
/// Results: the xunit files give `classname="LibTests.MathSuite.Inner" name="nested()"`; the file
/// is the one of the shard that declares `MathSuite.Inner.nested` (or class `MathXCTests`), found
/// by `SwiftTestSourceScanner`.
enum SwiftTestNaming {
    /// The module of the test target holding `file`, or `nil` when it is not below a `Tests/` folder.
    static func module(ofFile file: String) -> String? {
        let parts = file.split(separator: "/").map(String.init)
        guard let tests = parts.firstIndex(of: "Tests"), tests + 2 < parts.count else { return nil }
        var name = ""
        for scalar in parts[tests + 1].unicodeScalars {
            let ok = scalar.properties.isAlphabetic || scalar == "_" || ("0"..."9").contains(scalar)
            name.unicodeScalars.append(ok ? scalar : "_")
        }
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) { name = "_" + name }
        return name
    }

    /// The regex of a module's identifiers (`LibTests\.`), any module when it is unknown.
    private static func modulePrefix(_ module: String?) -> String {
        module.map { "^" + RegexText.escape($0) + "\\." } ?? "^[^./]+\\."
    }

    /// The `--filter` regexes that select `item`; empty when the file declares no tests.
    static func filters(for item: WorkItem, declarations: SwiftTestDeclarations) -> [String] {
        let module = module(ofFile: item.file)
        guard let test = item.test else {
            var filters: [String] = []
            if declarations.mayHoldSwiftTesting {
                let base = item.file.split(separator: "/").last.map(String.init) ?? item.file
                filters.append(modulePrefix(module) + ".*/" + RegexText.escape(base) + ":[0-9]+:[0-9]+$")
            }
            for type in declarations.xctestClasses.sorted() {
                filters.append(modulePrefix(module) + RegexText.escape(type) + "/")
            }
            return filters
        }
        let parts = test.components(separatedBy: WorkItem.separator).map(RegexText.escape)
        // swift-testing identifiers go on with the source location; XCTest's end at the name.
        return [modulePrefix(module) + parts.joined(separator: "/") + "(/[^/]+:[0-9]+:[0-9]+)?$"]
    }

    /// Where `swift test --xunit-output PATH` puts swift-testing's results: `PATH` with
    /// `-swift-testing` before its extension (XCTest's go to `PATH` itself).
    static func swiftTestingResultPath(forXUnit path: String) -> String {
        let slash = path.lastIndex(of: "/")
        if let dot = path.lastIndex(of: "."), slash.map({ dot > $0 }) ?? true, dot != path.startIndex {
            return String(path[..<dot]) + "-swift-testing" + String(path[dot...])
        }
        return path + "-swift-testing"
    }

    /// Maps results read from the xunit files (ids `classname::name`, no file) to the files of a
    /// shard and TestShard's ids.
    struct Attribution {
        private var testing: [String: [String]] = [:]
        private var xctest: [String: [String]] = [:]
        /// The shard's only file, for results no declaration explains.
        private let defaultFile: String?

        init(declarations: [String: SwiftTestDeclarations]) {
            for (file, found) in declarations.sorted(by: { $0.key < $1.key }) {
                let module = SwiftTestNaming.module(ofFile: file) ?? "*"
                for function in found.testFunctions { testing[module + "|" + function, default: []].append(file) }
                for type in found.xctestClasses { xctest[module + "|" + type, default: []].append(file) }
            }
            defaultFile = declarations.count == 1 ? declarations.keys.first : nil
        }

        /// The result named from the suite root, or unchanged (no file) when no file of the shard
        /// declares it and the shard has several files.
        func attribute(_ result: TestCaseResult) -> TestCaseResult {
            let typeParts = result.classname.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard let module = typeParts.first, !module.isEmpty, !result.name.isEmpty else { return result }
            let typePath = Array(typeParts.dropFirst())
            let owners: [String]
            if let paren = result.name.firstIndex(of: "(") {
                let key = (typePath + [String(result.name[..<paren])]).joined(separator: ".")
                owners = testing[module + "|" + key] ?? testing["*|" + key] ?? []
            } else {
                let key = typePath.joined(separator: ".")
                owners = xctest[module + "|" + key] ?? xctest["*|" + key] ?? []
            }
            guard let file = owners.count == 1 ? owners[0] : defaultFile else { return result }
            var named = result
            named.file = file
            named.id = ([file] + typePath + [result.name]).joined(separator: WorkItem.separator)
            return named
        }
    }
}

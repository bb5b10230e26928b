import Foundation

/// POSIX shell quoting for commands shown to people (a repro they can paste).
enum ShellQuoting {
    /// `word` as one shell word: unchanged when it has only safe characters, else single-quoted.
    static func quote(_ word: String) -> String {
        if !word.isEmpty, word.utf8.allSatisfy({ $0 < 128 && safe[Int($0)] }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    static func join(_ argv: [String]) -> String { argv.map(quote).joined(separator: " ") }

    /// Which ASCII bytes need no quoting.
    private static let safe: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for byte in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-".utf8 {
            table[Int(byte)] = true
        }
        return table
    }()
}

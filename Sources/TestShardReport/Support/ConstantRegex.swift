import Foundation

/// Compiles a regex written in this module's source. Such patterns are constants, so a failure to
/// compile is a programming error (the tests compile every one), never an input error.
func constantRegex(_ pattern: String, _ options: NSRegularExpression.Options = []) -> NSRegularExpression {
    do {
        return try NSRegularExpression(pattern: pattern, options: options)
    } catch {
        preconditionFailure("built-in pattern does not compile: \(pattern): \(error)")
    }
}

extension NSRegularExpression {
    /// Whether the pattern occurs anywhere in `text`.
    func occurs(in text: String) -> Bool {
        firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }

    /// Whether the pattern matches the whole of `text`.
    func matchesWhole(_ text: String) -> Bool {
        let length = (text as NSString).length
        guard let match = firstMatch(in: text, options: [.anchored], range: NSRange(location: 0, length: length))
        else { return false }
        return match.range.length == length
    }
}

import TestShardModel

/// Splits node ids (`path::test`) without Foundation.
///
/// `WorkItem.file` / `.test` find the separator with Foundation's `range(of:)`, which costs
/// microseconds per call; at tens of thousands of ids per plan that was most of the planning
/// time. Same rule: the file is everything before the first `::`.
enum NodeID {
    /// The file part and, when the id has a `::`, the test part.
    static func split(_ id: String) -> (file: Substring, test: Substring?) {
        let utf8 = id.utf8
        var index = utf8.startIndex
        var afterColon = false
        let colon = UInt8(ascii: ":")
        while index != utf8.endIndex {
            if utf8[index] == colon {
                if afterColon {
                    return (id[..<utf8.index(before: index)], id[utf8.index(after: index)...])
                }
                afterColon = true
            } else {
                afterColon = false
            }
            index = utf8.index(after: index)
        }
        return (id[...], nil)
    }

    /// Whether `id` names a test (`path::test`) rather than a whole file.
    static func isTest(_ id: String) -> Bool { split(id).test != nil }
}

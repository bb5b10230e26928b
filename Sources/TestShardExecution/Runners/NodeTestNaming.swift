import TestShardModel

/// How `node --test` names tests, and how TestShard names them.
///
/// node's JUnit reporter (Node 20) writes no file names: every `<testcase>` has `classname="test"`,
/// `describe` blocks are nested `<testsuite>`s, and a file that fails to load is one test case
/// named by the file's absolute path. So each file runs in a process of its own and its results are
/// named `file::describe…::name`; a load failure is the file itself (`file`).
///
/// One test of a file is selected with `--test-name-pattern=^name$` (its own name, regex-escaped).
/// Node 20 matches the pattern against each test's own name and runs a `describe` whose name
/// matches with everything in it, and reports every other test as skipped ("test name does not
/// match pattern"): results the shard did not ask for are dropped (`keep`).
enum NodeTestNaming {
    /// The option selecting a test item (`file::describe::name`), or `nil` for a whole file.
    static func patternArgument(for item: WorkItem) -> String? {
        guard let test = item.test else { return nil }
        let name = test.components(separatedBy: WorkItem.separator).last ?? test
        return "--test-name-pattern=^" + RegexText.escape(name) + "$"
    }

    /// Results of one file's run, named from the suite root. `results` come from a `JUnitReader`
    /// that knew no files, so their ids are `classname::describe…::name`.
    static func attribute(_ results: [TestCaseResult], file: String, absoluteFile: String) -> [TestCaseResult] {
        results.map { result in
            var named = result
            named.file = file
            var inside = result.id
            if !result.classname.isEmpty, inside.hasPrefix(result.classname + WorkItem.separator) {
                inside = String(inside.dropFirst(result.classname.count + WorkItem.separator.count))
            }
            let loadFailure =
                inside == result.name
                && (result.name == absoluteFile || result.name == file || result.name.hasSuffix("/" + file))
            named.id = loadFailure ? file : file + WorkItem.separator + inside
            return named
        }
    }

    /// The results to report for a run of `items` (all of one file): everything when the whole file
    /// was asked for; otherwise the tests of the items and a failure of the file itself, not the
    /// tests the pattern ran or skipped besides them.
    static func keep(_ results: [TestCaseResult], items: [WorkItem]) -> [TestCaseResult] {
        if items.contains(where: \.isWholeFile) { return results }
        let file = items.first?.file
        return results.filter { result in
            result.id == file
                || items.contains { item in
                    result.id == item.id || result.id.hasPrefix(item.id + WorkItem.separator)
                }
        }
    }
}

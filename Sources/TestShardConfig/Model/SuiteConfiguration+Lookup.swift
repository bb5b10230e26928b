import TestShardModel

extension SuiteConfiguration {
    /// The areas `path` (a file or a `path::test` node id) belongs to, in config order.
    public func areas(for path: String) -> [AreaConfiguration] {
        areas.filter { $0.contains(path) }
    }

    /// The categories `path` (a file or a `path::test` node id) belongs to, in config order.
    public func categories(for path: String) -> [CategoryConfiguration] {
        categories.filter { $0.contains(path) }
    }

    /// The files `run --category A --category B` runs: the union of those categories' globs, minus the
    /// suite's `exclude`. Apply it to the inventory (which already holds only included files). An empty
    /// list selects the whole suite (`files`).
    ///
    /// Throws `unknownID` naming the first unknown category and listing the known ones.
    public func selection(categories ids: [String]) throws(ConfigurationError) -> GlobSet {
        if ids.isEmpty { return files }
        var globs: [Glob] = []
        for id in ids {
            guard let category = categories.first(where: { $0.id == id }) else {
                let known = categories.map(\.id)
                throw ConfigurationError(
                    code: .unknownID,
                    file: file,
                    key: "category",
                    message: "no category \(ConfigValueText.quoted(id))\(KeySuggestion.hint(for: id, in: known)); "
                        + (known.isEmpty
                            ? "this config defines no [[category]] entries"
                            : "known categories: \(known.joined(separator: ", "))")
                )
            }
            for glob in category.globs where !globs.contains(glob) { globs.append(glob) }
        }
        return GlobSet(include: globs, exclude: exclude)
    }

    /// The profile called `name` (`run --profile NAME`); throws `unknownID` listing the known profiles.
    public func profile(named name: String) throws(ConfigurationError) -> ProfileConfiguration {
        if let profile = profiles.first(where: { $0.name == name }) { return profile }
        let known = profiles.map(\.name)
        throw ConfigurationError(
            code: .unknownID,
            file: file,
            key: "profile",
            message: "no profile \(ConfigValueText.quoted(name))\(KeySuggestion.hint(for: name, in: known)); "
                + (known.isEmpty
                    ? "this config defines no [profile.NAME] tables"
                    : "known profiles: \(known.joined(separator: ", "))")
        )
    }

    /// The test globs `[[affects]]` maps `changedPaths` to: for every rule with a source glob matching
    /// some changed path, its `tests` globs (each once, in config order).
    public func affectedTestGlobs(changedPaths: [String]) -> [Glob] {
        var globs: [Glob] = []
        for rule in affects where changedPaths.contains(where: rule.isTriggered(by:)) {
            for glob in rule.tests where !globs.contains(glob) { globs.append(glob) }
        }
        return globs
    }

    /// The first quarantine entry covering `testID` (a file or a `path::test` node id), if any.
    public func quarantineEntry(for testID: String) -> QuarantineConfiguration? {
        quarantine.first { $0.covers(testID) }
    }

    /// The first triage rule (in config order) matching a failure, if any.
    public func triageRule(
        message: String?,
        exceptionType: String?,
        exitKind: ShardExitKind?
    )
        -> TriageRuleConfiguration?
    {
        triageRules.first { $0.matches(message: message, exceptionType: exceptionType, exitKind: exitKind) }
    }

    /// The environment for one shard's command: `suite.env`, then the profile's `env` on top.
    public func environment(profile: ProfileConfiguration?) -> [String: String] {
        env.merging(profile?.env ?? [:]) { _, fromProfile in fromProfile }
    }
}

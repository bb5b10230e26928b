import Foundation
import TestShardModel

/// What the classifier knows about a cluster.
struct ClusterFacts {
    /// The example raw message and the normalized signature; a rule's `message` may match either.
    var messages: [String]
    var exceptionType: String
    /// For a shard-level cluster (no test results).
    var exitKind: ShardExitKind?
    var phases: Set<TestPhase>
    /// >50% of the run's files failing with this signature, or >80% of all tests failing.
    var massFailure: Bool
    /// The worker with ≥80% of the cluster's failures, if any.
    var suspectWorker: String?
}

/// A triage rule with its regexes compiled.
struct CompiledRule {
    var rule: TriageRule
    /// `rule` (config) or `builtin`.
    var origin: String
    var message: NSRegularExpression?
    var type: NSRegularExpression?

    /// `rule:<id>` or `builtin:<id>`.
    var source: String { origin + ":" + rule.id }

    /// Compiles `rule`; `nil` plus the problem when it cannot be used.
    static func compile(_ rule: TriageRule, origin: String) -> (CompiledRule?, ReportInputError?) {
        var compiled = CompiledRule(rule: rule, origin: origin)
        if rule.message == nil && rule.type == nil && rule.exitKind == nil && rule.phase == nil {
            return (
                nil,
                ReportInputError(
                    code: .badRuleRegex,
                    message:
                        "triage rule \"\(rule.id)\" sets no condition (message, type, exit_kind or phase) and would match every failure; it was skipped — add a condition"
                )
            )
        }
        for (field, pattern) in [("message", rule.message), ("type", rule.type)] {
            guard let pattern else { continue }
            guard let regex = try? NSRegularExpression(pattern: pattern) else {
                return (
                    nil,
                    ReportInputError(
                        code: .badRuleRegex,
                        message:
                            "triage rule \"\(rule.id)\": \(field) \"\(pattern)\" is not a valid regular expression; the rule was skipped — fix the pattern"
                    )
                )
            }
            if field == "message" { compiled.message = regex } else { compiled.type = regex }
        }
        return (compiled, nil)
    }

    init(rule: TriageRule, origin: String, message: NSRegularExpression? = nil, type: NSRegularExpression? = nil) {
        self.rule = rule
        self.origin = origin
        self.message = message
        self.type = type
    }

    /// Whether every condition the rule sets holds for the cluster.
    func matches(_ facts: ClusterFacts) -> Bool {
        if let exitKind = rule.exitKind, facts.exitKind != exitKind { return false }
        if let phase = rule.phase, facts.phases != [phase] { return false }
        if let type, !type.matchesWhole(facts.exceptionType) { return false }
        if let message, !facts.messages.contains(where: { message.occurs(in: $0) }) { return false }
        return true
    }
}

/// The cause category of a cluster (report-anchors §8.6, first match wins), and why.
enum CauseClassifier {
    struct Decision {
        var category: CauseCategory
        var source: String
        var rule: CompiledRule?
    }

    /// 1. exit kind lost/crash/no_results/refused → infrastructure; 2. config rules; 3. built-in
    /// rules; 4. mass failure or one worker → infrastructure; 5. setup/teardown error that is not
    /// an assertion → test infrastructure; 6. assertion in the call phase → product; 7. unknown.
    static func classify(_ facts: ClusterFacts, rules: [CompiledRule]) -> Decision {
        if let kind = facts.exitKind, [.lost, .crash, .noResults, .refused].contains(kind) {
            return Decision(category: .infrastructure, source: "exit_kind:\(kind.rawValue)")
        }
        if let rule = rules.first(where: { $0.matches(facts) }) {
            return Decision(category: rule.rule.category, source: rule.source, rule: rule)
        }
        if facts.massFailure {
            return Decision(category: .infrastructure, source: "heuristic:mass_failure")
        }
        if let worker = facts.suspectWorker {
            return Decision(category: .infrastructure, source: "heuristic:worker_concentration:\(worker)")
        }
        let isAssertion = facts.exceptionType.hasSuffix("AssertionError")
        if !facts.phases.isEmpty, facts.phases.isSubset(of: [.setup, .teardown]), !isAssertion {
            return Decision(category: .testInfrastructure, source: "heuristic:setup_error")
        }
        if isAssertion, facts.phases == [.call] {
            return Decision(category: .product, source: "heuristic:assertion")
        }
        return Decision(category: .unknown, source: "default")
    }
}

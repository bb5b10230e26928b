import Foundation
import TestShardModel

extension ReportConfiguration {
    /// Every problem with the regexes, globs, masks and dates in this configuration; empty when
    /// all are usable. The coordinator can refuse a config with problems before a run starts.
    public func validate() -> [ReportInputError] {
        var errors: [ReportInputError] = []
        for rule in triageRules {
            for (field, pattern) in [("message", rule.message), ("type", rule.type)] {
                guard let pattern else { continue }
                if (try? NSRegularExpression(pattern: pattern)) == nil {
                    errors.append(
                        ReportInputError(
                            code: .badRuleRegex,
                            message:
                                "triage rule \"\(rule.id)\": \(field) \"\(pattern)\" is not a valid regular expression; fix or remove it"
                        )
                    )
                }
            }
        }
        for mask in masks {
            do throws(ReportInputError) { _ = try ProjectMask(mask) } catch { errors.append(error) }
        }
        for (owner, globs) in areas.map({ ("area \"\($0.id)\"", $0.globs) })
            + categories.map({ ("category \"\($0.id)\"", $0.globs) })
        {
            for glob in globs {
                do throws(Glob.ParseError) { _ = try Glob(glob) } catch {
                    errors.append(
                        ReportInputError(code: .badGlob, message: "\(owner): \(error.description); fix the pattern")
                    )
                }
            }
        }
        var dates = quarantine.compactMap { entry in
            entry.expires.map { ("quarantine entry \"\(entry.id)\" expires", $0) }
        }
        if let reportDate { dates.append(("reportDate", reportDate)) }
        for (owner, date) in dates where CalendarDay(date) == nil {
            errors.append(
                ReportInputError(code: .badDate, message: "\(owner) \"\(date)\" is not a date; write it as YYYY-MM-DD")
            )
        }
        return errors
    }
}

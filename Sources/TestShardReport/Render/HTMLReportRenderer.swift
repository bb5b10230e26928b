import Foundation
import TestShardModel

/// Renders `report.html` from a `GardenerReport` alone: one self-contained file (inline CSS, a
/// little inline JS for filtering, no network), with header cards, the worker/shard timeline,
/// clusters, areas, coverage gaps, flaky and fixed tests, workers, shards and next actions.
/// Every value from the report is HTML-escaped.
public enum HTMLReportRenderer {
    /// Above this many rows a table says how many it left out (report.json has them all).
    public static let rowLimit = 2_000

    public static func render(_ report: GardenerReport) -> String {
        var page = HTMLPage(report: report)
        return page.document()
    }
}

private struct HTMLPage {
    let report: GardenerReport
    var out = ""

    init(report: GardenerReport) {
        self.report = report
        out.reserveCapacity(256_000)
    }

    mutating func document() -> String {
        let run = report.run
        out += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out +=
            "<title>Gardener report — \(e(run.suite)) — \(e(run.id))</title>\n<style>\(Self.css)</style>\n</head>\n<body>\n"
        header()
        cards()
        timeline()
        clusters()
        areas()
        coverage()
        flaky()
        fixed()
        workers()
        shards()
        nextActions()
        appendix()
        out += "<script>\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }

    // MARK: Header and cards

    private mutating func header() {
        let run = report.run
        out +=
            "<header><h1>Gardener report — \(e(run.suite)) — \(e(run.kind.rawValue)) \(e(run.id))</h1>\n<p class=\"meta\">"
        var facts: [String] = []
        if let revision = run.revision { facts.append("commit <code>\(e(String(revision.prefix(12))))</code>") }
        if let branch = run.branch { facts.append("on \(e(branch))") }
        facts.append("started \(e(isoTimestamp(run.startedAt)))")
        if let profile = run.profile { facts.append("profile \(e(profile))") }
        if !run.categoriesSelected.isEmpty {
            facts.append("categories \(e(run.categoriesSelected.joined(separator: ", ")))")
        }
        if let parent = run.parentRunId { facts.append("parent run \(e(parent))") }
        facts.append("compared with \(e(run.comparedWith ?? "—"))")
        facts.append("normalizer \(e(run.normalizer)) · rules \(e(run.rulesHash))")
        out += facts.joined(separator: " · ") + "</p></header>\n"
    }

    private mutating func cards() {
        let verdict = report.verdict
        let prefix = verdict.status.label + " — "
        let line = verdict.line.hasPrefix(prefix) ? String(verdict.line.dropFirst(prefix.count)) : verdict.line
        let files = report.summary.files
        let delta = report.summary.filesDelta
        func withDelta(_ value: Int, _ change: Int?) -> String {
            guard let change, change != 0 else { return "\(value)" }
            return "\(value) <small>(\(change > 0 ? "+" : "−")\(abs(change)))</small>"
        }
        out += "<section class=\"cards\">\n"
        out +=
            "<div class=\"card verdict \(e(verdict.status.rawValue))\"><h2>\(e(verdict.status.label))</h2><p>\(e(line))</p><p class=\"meta\">exit status \(verdict.exitStatus)</p></div>\n"
        out += "<div class=\"card\"><h3>Files</h3><table class=\"kv\">"
        for (label, value, change) in [
            ("expected", files.files, delta?.files), ("passed", files.passed, delta?.passed),
            ("failed", files.failed, delta?.failed), ("flaky", files.flaky, delta?.flaky),
            ("quarantined-failed", files.quarantinedFailed, delta?.quarantinedFailed),
            ("not run", files.notRun, delta?.notRun), ("skipped", files.skipped, delta?.skipped),
        ] {
            out += "<tr><th>\(label)</th><td>\(withDelta(value, change))</td></tr>"
        }
        out += "</table></div>\n"
        let tests = report.summary.tests
        out +=
            "<div class=\"card\"><h3>Tests</h3><table class=\"kv\"><tr><th>total</th><td>\(tests.total)</td></tr><tr><th>passed</th><td>\(tests.passed)</td></tr><tr><th>failed</th><td>\(tests.failed)</td></tr><tr><th>flaky</th><td>\(tests.flaky)</td></tr><tr><th>skipped</th><td>\(tests.skipped)</td></tr><tr><th>attempts</th><td>\(tests.attempts)</td></tr></table></div>\n"
        out +=
            "<div class=\"card\"><h3>Time</h3><table class=\"kv\"><tr><th>wall</th><td>\(e(DurationText.format(report.run.wallSeconds)))</td></tr><tr><th>worker time</th><td>\(e(DurationText.format(report.run.workerSeconds)))</td></tr><tr><th>workers</th><td>\(report.workers.count)</td></tr><tr><th>shard attempts</th><td>\(report.shards.count)</td></tr><tr><th>end</th><td>\(e(report.run.endReason.rawValue))</td></tr></table></div>\n"
        if !report.summary.byCause.isEmpty {
            out += "<div class=\"card\"><h3>By cause (files)</h3><table class=\"kv\">"
            for cause in report.summary.byCause {
                out +=
                    "<tr><th>\(e(cause.category.label))</th><td>\(cause.files) <small>(\(cause.clusters) clusters)</small></td></tr>"
            }
            out += "</table></div>\n"
        }
        if !report.summary.clustersByHistory.isEmpty {
            out += "<div class=\"card\"><h3>Clusters by history</h3><table class=\"kv\">"
            for entry in report.summary.clustersByHistory {
                out += "<tr><th>\(e(entry.status.label))</th><td>\(entry.count)</td></tr>"
            }
            out += "</table></div>\n"
        }
        out += "</section>\n"
    }

    // MARK: Timeline

    private mutating func timeline() {
        out += "<section><h2>Timeline</h2>\n"
        out += TimelineSVG(report: report).svg()
        out += "<p class=\"legend\">"
        for (kind, label) in TimelineSVG.legend {
            out +=
                "<span><svg width=\"14\" height=\"10\"><rect class=\"key bar \(kind)\" width=\"14\" height=\"10\" fill=\"\(TimelineSVG.fill(ShardExitKind(rawValue: kind) ?? .ok))\"/></svg> \(e(label))</span> "
        }
        out +=
            "<span class=\"lostmark\">│</span> worker lost · dashed outline: discarded result · click a cluster below to highlight its shards</p>\n"
        let stopped = report.shards.filter { $0.exit.kind == .timeout }
        if !stopped.isEmpty {
            out +=
                "<p>Shards ended by timeout: \(stopped.prefix(50).map { "<code>\(e($0.id))#\($0.attempt)</code>" }.joined(separator: ", "))\(stopped.count > 50 ? " …" : "")</p>\n"
        }
        out += "</section>\n"
    }

    // MARK: Clusters

    private mutating func clusters() {
        out += "<section><h2>Discovered issues (\(report.clusters.count) clusters)</h2>\n"
        guard !report.clusters.isEmpty else {
            out += "<p>No failures.</p></section>\n"
            return
        }
        func options(_ values: [String]) -> String {
            (["all"] + Array(Set(values)).sorted()).map { "<option>\(e($0))</option>" }.joined()
        }
        out +=
            "<div class=\"filters\">category <select id=\"f-category\">\(options(report.clusters.map(\.category.label)))</select> "
        out += "severity <select id=\"f-severity\">\(options(report.clusters.map(\.severity.rawValue)))</select> "
        out += "status <select id=\"f-status\">\(options(report.clusters.map(\.status.label)))</select></div>\n"
        for cluster in report.clusters {
            out +=
                "<details class=\"cluster sev-\(e(cluster.severity.rawValue))\" data-category=\"\(e(cluster.category.label))\" data-severity=\"\(e(cluster.severity.rawValue))\" data-status=\"\(e(cluster.status.label))\" data-shards=\"\(e(cluster.shards.joined(separator: " ")))\">\n"
            out +=
                "<summary><span class=\"sev\">\(e(cluster.severity.rawValue))</span> <code>\(e(String(cluster.id.prefix(11))))…</code> \(e(String(cluster.normalized.prefix(200)))) <small>— \(cluster.files.count) files · \(e(cluster.category.label)) · \(e(cluster.status.label))</small></summary>\n<div class=\"body\">\n"
            out +=
                "<p><b>Id</b> <code>\(e(cluster.id))</code> · <b>category</b> \(e(cluster.category.label)) (<code>\(e(cluster.categorySource))</code>) · <b>status</b> \(e(cluster.status.label))"
            if cluster.status == .ongoing { out += " (\(cluster.ageRuns) runs, since \(e(cluster.sinceRun ?? "?")))" }
            out +=
                " · first seen \(e(cluster.firstSeenRun)) · priority \(e(Markdown.decimal(cluster.priority, places: 1))) · cost \(e(DurationText.format(cluster.costSeconds)))</p>\n"
            out +=
                "<p><b>Scope</b> \(cluster.files.count) files · \(cluster.tests.count) tests · \(cluster.failures) failures · \(cluster.shards.count) shard attempts"
            if !cluster.areas.isEmpty { out += " · areas \(e(cluster.areas.joined(separator: ", ")))" }
            out += "</p>\n"
            if !cluster.workers.isEmpty {
                out += "<div class=\"share\">"
                for share in cluster.workers {
                    let percent = share.fraction * 100
                    out +=
                        "<span style=\"width:\(Markdown.number(max(percent, 0.5)))%\" title=\"\(e(share.worker)): \(share.failures)\">\(percent >= 8 ? e(share.worker) : "")</span>"
                }
                out += "</div>\n"
            }
            if let worker = cluster.suspectWorker {
                out +=
                    "<p class=\"warn\">Most failures ran on worker <b>\(e(worker))</b>: likely a problem of that worker.</p>\n"
            }
            out += "<p><b>Raw examples</b></p><ul>"
            for raw in cluster.rawExamples { out += "<li><code>\(e(raw))</code></li>" }
            out += "</ul>\n<p><b>Normalized</b> <code class=\"sig\">\(highlightMasks(cluster.normalized))</code></p>\n"
            if !cluster.lastLogLines.isEmpty {
                out += "<p><b>Last output</b></p><pre>\(e(cluster.lastLogLines.joined(separator: "\n")))</pre>\n"
            }
            out += "<p><b>Next action</b> \(e(cluster.nextAction))</p>\n"
            if let repro = cluster.repro {
                out +=
                    "<p><b>Repro</b> <code class=\"repro\">\(e(repro.command))</code> <button class=\"copy\" data-copy=\"\(e(repro.command))\">copy</button>\(repro.note.map { " <small>\(e($0))</small>" } ?? "")</p>\n"
            }
            if let notes = cluster.notes { out += "<p><b>Notes</b> \(e(notes))</p>\n" }
            list("Files", cluster.files)
            list("Tests", cluster.tests)
            out += "</div></details>\n"
        }
        out += "</section>\n"
    }

    private mutating func list(_ title: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        out += "<details><summary>\(e(title)) (\(values.count))</summary><ul class=\"cols\">"
        for value in values.prefix(HTMLReportRenderer.rowLimit) { out += "<li><code>\(e(value))</code></li>" }
        if values.count > HTMLReportRenderer.rowLimit {
            out += "<li>… and \(values.count - HTMLReportRenderer.rowLimit) more in report.json</li>"
        }
        out += "</ul></details>\n"
    }

    /// Escapes the signature and marks its placeholders (`<N>`, `<HEX1>`, `<*>`).
    private func highlightMasks(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += e(String(rest[..<open]))
            let after = rest[open...]
            if let close = after.firstIndex(of: ">"), after.distance(from: open, to: close) <= 8,
                after[after.index(after: open)..<close].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "*" })
            {
                out += "<mark>\(e(String(after[open...close])))</mark>"
                rest = after[after.index(after: close)...]
            } else {
                out += "&lt;"
                rest = after.dropFirst()
            }
        }
        return out + e(String(rest))
    }

    // MARK: Tables

    private mutating func table(_ title: String, headers: [String], rows: [[String]], empty: String) {
        out += "<section><h2>\(e(title))</h2>\n"
        guard !rows.isEmpty else {
            out += "<p>\(e(empty))</p></section>\n"
            return
        }
        out += "<table><thead><tr>" + headers.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows.prefix(HTMLReportRenderer.rowLimit) {
            out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody></table>\n"
        if rows.count > HTMLReportRenderer.rowLimit {
            out += "<p>… and \(rows.count - HTMLReportRenderer.rowLimit) more rows in report.json</p>\n"
        }
        out += "</section>\n"
    }

    private mutating func areas() {
        table(
            "Critical business areas",
            headers: [
                "Area", "Criticality", "Expected", "Ran", "Passed", "Failed", "Flaky", "Quar.", "Not run", "Status",
                "Top cluster",
            ],
            rows: report.areas.map { area in
                [
                    e(area.id), e(area.criticality.rawValue), "\(area.expected)", "\(area.ran)", "\(area.passed)",
                    "\(area.failed)", "\(area.flaky)", "\(area.quarantinedFailed)", "\(area.notRun)",
                    "<span class=\"area \(e(area.status.rawValue.replacingOccurrences(of: " ", with: "-")))\">\(e(area.status.rawValue))</span>",
                    area.topCluster.map { "<code>\(e(String($0.prefix(11))))…</code>" } ?? "—",
                ]
            },
            empty: "No [[area]] is configured."
        )
    }

    private mutating func coverage() {
        let coverage = report.coverage
        let reasons = coverage.byReason.map { "\($0.reason.label) \($0.files)" }.joined(separator: ", ")
        table(
            "Coverage gaps — \(coverage.notRun.count) of \(coverage.expectedFiles) files without a result"
                + (reasons.isEmpty ? "" : " (\(reasons))"),
            headers: ["File", "Reason", "Shard", "Estimate", "Detail"],
            rows: (coverage.notRun + coverage.partial).map { file in
                [
                    "<code>\(e(file.file))</code>\(file.quarantined ? " <small>(quarantined)</small>" : "")",
                    e(file.reason.label),
                    e(file.shard ?? "—"), e(file.estimateSeconds.map(DurationText.format) ?? "—"), e(file.detail ?? ""),
                ]
            },
            empty: "Every expected file has a result."
        )
    }

    private mutating func flaky() {
        table(
            "Flaky tests",
            headers: [
                "Test", "θ", "90% CI", "Label", "Retry-pass this run", "Flip rate", "History (old → new)", "State",
                "Owner",
            ],
            rows: report.flaky.map { test in
                [
                    "<code>\(e(test.id))</code>", e(Markdown.number(test.score.theta)),
                    e("\(Markdown.number(test.score.ci90Low))–\(Markdown.number(test.score.ci90High))"),
                    e(test.score.label.rawValue), test.retryPassThisRun ? "yes" : "no",
                    e(test.score.flipRate.map(Markdown.number) ?? "—"), strip(test.verdicts),
                    test.quarantined ? "quarantined" : "active", e(test.owner ?? "—"),
                ]
            },
            empty: "None this run."
        )
    }

    /// A history strip: one coloured cell per run.
    private func strip(_ verdicts: String) -> String {
        "<span class=\"strip\">" + verdicts.map { "<i class=\"v\($0)\" title=\"\($0)\"></i>" }.joined() + "</span>"
    }

    private mutating func fixed() {
        let rows =
            report.fixed.tests.map { ["<code>\(e($0.id))</code>", e($0.status.label)] }
            + report.fixed.clusters.map { cluster in
                [
                    "cluster <code>\(e(String(cluster.id.prefix(11))))…</code> \(e(cluster.title))",
                    cluster.confirmed
                        ? "FIXED" : e("unconfirmed: \(cluster.filesNotRun.count) of its files did not run"),
                ]
            }
        table(
            "Fixed since previous run",
            headers: ["Test or cluster", "Status"],
            rows: rows,
            empty: "Nothing fixed since the previous run."
        )
    }

    private mutating func workers() {
        table(
            "Workers",
            headers: [
                "Worker", "Host", "Slots", "Shard attempts", "Problems", "Test failures", "Busy", "Utilization",
                "State",
            ],
            rows: report.workers.map { worker in
                [
                    e(worker.id), e(worker.host), "\(worker.slots)", "\(worker.shardAttempts)",
                    "\(worker.problemAttempts)",
                    "\(worker.testFailures)", e(DurationText.format(worker.busySeconds)),
                    "\(Int((worker.utilization * 100).rounded()))%",
                    worker.lost ? "<b class=\"lost\">LOST</b> \(e(worker.lostReason ?? ""))" : "ok",
                ]
            },
            empty: "No worker joined the run."
        )
    }

    private mutating func shards() {
        table(
            "Shards (problems first)",
            headers: [
                "Shard", "Attempt", "Worker", "Files", "Start", "Duration", "Exit", "P/F/E/S", "First signal",
                "Command",
            ],
            rows: report.shards.map { shard in
                [
                    e(shard.id), "\(shard.attempt)", e(shard.workerId ?? "—"), "\(shard.items.count)",
                    e("+" + DurationText.format(max(0, shard.startedAt - report.run.startedAt))),
                    e(DurationText.format(shard.durationSeconds)),
                    "<span class=\"exit \(e(shard.exit.kind.rawValue))\">\(e(shard.exitLabel))</span>",
                    e(shard.tests.text),
                    e(shard.firstSignal ?? ""), "<code>\(e(String(shard.command.prefix(300))))</code>",
                ]
            },
            empty: "No shard was handed out."
        )
    }

    private mutating func nextActions() {
        out += "<section><h2>Next actions</h2>\n"
        guard !report.nextActions.isEmpty else {
            out += "<p>Nothing to do.</p></section>\n"
            return
        }
        out += "<ol>"
        for action in report.nextActions.prefix(HTMLReportRenderer.rowLimit) {
            out +=
                "<li><span class=\"sev sev-\(e(action.severity.rawValue))\">\(e(action.severity.rawValue))</span> \(e(action.title))"
            if let command = action.command { out += "<br><code>\(e(command))</code>" }
            out += "</li>\n"
        }
        out += "</ol></section>\n"
    }

    private mutating func appendix() {
        let appendix = report.appendix
        out +=
            "<section><h2>Appendix</h2><p>Normalizer \(e(appendix.normalizer)) · masks \(e(appendix.masks.isEmpty ? "none" : appendix.masks.joined(separator: "  ")))</p><ul>"
        for rule in appendix.rules {
            out +=
                "<li><code>\(e(rule.source == "config" ? "rule:" : "builtin:"))\(e(rule.id))</code> → \(e(rule.category.label)): <code>\(e(rule.matches))</code>\(rule.clusters > 0 ? " — \(rule.clusters) clusters" : "")</li>"
        }
        out += "</ul>"
        if !appendix.warnings.isEmpty {
            out +=
                "<p><b>Configuration problems</b></p><ul>" + appendix.warnings.map { "<li>\(e($0))</li>" }.joined()
                + "</ul>"
        }
        out += "</section>\n"
    }

    // MARK: Static assets

    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:1400px;padding:16px;color:#1d2330;background:#fafbfc}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde1e7;padding-bottom:4px}
        h3{font-size:14px;margin:0 0 6px}.meta{color:#5a6372;font-size:13px;margin:2px 0}code{font:12px ui-monospace,Menlo,monospace;background:#eef1f5;padding:1px 3px;border-radius:3px;word-break:break-all}
        .cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:14px}.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:10px 14px;min-width:170px}
        .card.verdict{flex:1 1 340px}.verdict h2{border:0;margin:0;font-size:24px}.verdict.green h2{color:#1a7f37}.verdict.red h2{color:#cf222e}
        .verdict.incomplete h2,.verdict.cut_short h2{color:#bf8700}.kv th{text-align:left;font-weight:500;color:#5a6372;padding-right:12px}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #dde1e7;padding:3px 6px;text-align:left;vertical-align:top;font-size:13px}
        .kv td,.kv th{border:0;padding:1px 4px}thead th{background:#f0f2f5}
        .cluster{background:#fff;border:1px solid #dde1e7;border-left:5px solid #8c959f;border-radius:6px;margin:6px 0;padding:4px 10px}
        .cluster.sev-CRITICAL{border-left-color:#cf222e}.cluster.sev-HIGH{border-left-color:#e16f24}.cluster.sev-MEDIUM{border-left-color:#bf8700}.cluster.sev-LOW{border-left-color:#8c959f}
        .cluster summary{cursor:pointer}.cluster.hidden{display:none}.cluster.selected{box-shadow:0 0 0 2px #0969da}.sev{font-weight:700;font-size:12px}
        .body pre{background:#f6f8fa;border:1px solid #dde1e7;padding:6px;overflow:auto}mark{background:#fff3b0;color:#6e5600}
        .share{display:flex;height:16px;width:320px;border:1px solid #dde1e7;font-size:11px;color:#fff}.share span{background:#0969da;border-right:1px solid #fff;overflow:hidden;text-align:center}
        .share span+span{background:#54aeff}.warn{color:#bc4c00}ul.cols{columns:2}
        .area.COVERED{color:#1a7f37;font-weight:700}.area.DEGRADED{color:#bf8700;font-weight:700}.area.BLIND{color:#cf222e;font-weight:700}
        .lost{color:#cf222e}.legend span{margin-right:12px;white-space:nowrap}.lostmark{color:#cf222e;font-weight:700}
        .strip i{display:inline-block;width:6px;height:12px;margin-right:1px;background:#d0d7de}.strip .vP{background:#2da44e}.strip .vF{background:#cf222e}.strip .vK{background:#bf8700}
        svg.timeline{background:#fff;border:1px solid #dde1e7;width:100%;height:auto}.lane-label{font-size:11px;fill:#5a6372}.axis{font-size:10px;fill:#5a6372}
        .grid{stroke:#eef1f5}.bar{stroke:#fff;stroke-width:.5}.bar.ok{fill:#2da44e}.bar.tests_failed{fill:#e16f24}.bar.timeout{fill:url(#hatch);stroke:#9a6700;stroke-width:1}
        .bar.crash{fill:#a40e26}.bar.lost{fill:#6e7781}.bar.no_results{fill:#8250df}.bar.refused,.bar.cancelled{fill:#d0d7de}.bar.discarded{stroke:#1d2330;stroke-dasharray:3 2;fill-opacity:.5}
        .bar.dim{opacity:.15}.bar.hit{stroke:#0969da;stroke-width:2}.lost-line{stroke:#cf222e;stroke-width:2}.cluster-line{stroke:#0969da;stroke-dasharray:4 3}
        button.copy{font-size:11px}.filters{margin:6px 0}
        """

    static let script = """
        (function(){
        var f=['category','severity','status'].map(function(k){return [k,document.getElementById('f-'+k)]});
        function apply(){document.querySelectorAll('details.cluster').forEach(function(d){var show=f.every(function(p){return !p[1]||p[1].value==='all'||d.dataset[p[0]]===p[1].value});d.classList.toggle('hidden',!show)})}
        f.forEach(function(p){if(p[1])p[1].addEventListener('change',apply)});
        document.querySelectorAll('details.cluster>summary').forEach(function(s){s.addEventListener('click',function(){var d=s.parentNode;var was=d.classList.contains('selected');
        document.querySelectorAll('details.cluster.selected').forEach(function(x){x.classList.remove('selected')});
        var keys=was?[]:(d.dataset.shards||'').split(' ').filter(Boolean);if(!was)d.classList.add('selected');
        document.querySelectorAll('rect.bar[data-key]').forEach(function(r){var hit=keys.indexOf(r.dataset.key)>=0;r.classList.toggle('hit',hit);r.classList.toggle('dim',keys.length>0&&!hit)})})});
        document.querySelectorAll('button.copy').forEach(function(b){b.addEventListener('click',function(){if(navigator.clipboard)navigator.clipboard.writeText(b.dataset.copy)})});
        })();
        """
}

private func e(_ text: String) -> String { HTML.escape(text) }

/// HTML escaping.
enum HTML {
    /// Escapes text for element content and attribute values.
    static func escape(_ text: String) -> String {
        // Most values need nothing: check the bytes first and return the text as it is.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

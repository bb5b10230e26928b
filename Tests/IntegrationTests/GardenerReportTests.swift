import Foundation
import Testing

/// Issue 4: the report across runs, and the HTML as a browser renders it.
@Suite(.serialized) struct GardenerReportTests {
    /// Two consecutive runs: the fixed failure is FIXED, the new one NEW, the unchanged one ONGOING
    /// with age 2; and `report RUN_ID` re-renders byte for byte.
    @Test func historyStatusesAcrossTwoRuns() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_fixed.py": "def test_soon_fixed():\n    assert 1 == 2\n",
                "tests/test_new.py": "def test_breaks_later():\n    assert True\n",
                "tests/test_ongoing.py":
                    "def test_always():\n    raise RuntimeError('Failed to start Docker services')\n",
            ]
        )
        defer { suite.remove() }
        let first = suite.path("first")
        let (firstStatus, firstRun) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--report-dir", first],
            in: suite.root
        )
        #expect(firstStatus == 1, "\(firstRun.transcript)")
        try suite.write("tests/test_fixed.py", "def test_soon_fixed():\n    assert 2 == 2\n")
        try suite.write("tests/test_new.py", "def test_breaks_later():\n    assert {'a': 1} == {'a': 2}\n")
        let second = suite.path("second")
        let (secondStatus, secondRun) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--report-dir", second],
            in: suite.root
        )
        #expect(secondStatus == 1, "\(secondRun.transcript)")
        let report = try suite.reportJSON(second)
        let tests = Dictionary(
            (report["tests"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0) },
            uniquingKeysWith: { a, _ in a }
        )
        func history(_ id: String) -> [String: Any]? { tests[id]?["history"] as? [String: Any] }
        #expect(history("tests/test_new.py::test_breaks_later")?["status"] as? String == "new")
        #expect(history("tests/test_ongoing.py::test_always")?["status"] as? String == "ongoing")
        #expect(history("tests/test_ongoing.py::test_always")?["ageRuns"] as? Int == 2)
        let fixed = report["fixed"] as? [String: Any]
        let fixedTests = (fixed?["tests"] as? [Any] ?? []).map { "\($0)" }.joined(separator: " ")
        #expect(fixedTests.contains("tests/test_fixed.py::test_soon_fixed"), "\(String(describing: fixed))")
        let clusters = report["clusters"] as? [[String: Any]] ?? []
        let docker = clusters.first {
            ($0["normalized"] as? String)?.contains("Failed to start Docker services") == true
        }
        #expect(docker?["status"] as? String == "ongoing")
        #expect(docker?["ageRuns"] as? Int == 2)

        // report RUN_ID renders the stored run again, identically.
        let runID = try #require((report["run"] as? [String: Any])?["id"] as? String)
        let again = suite.path("again")
        let (renderStatus, render) = try await runToEnd(
            Binaries.coordinator,
            ["report", "--config", suite.config, runID, "--report-dir", again],
            in: suite.root
        )
        #expect(renderStatus == 0, "\(render.transcript)")
        for name in ["report.json", "report.md", "report.html"] {
            let original = try Data(contentsOf: URL(fileURLWithPath: second + "/" + name))
            let rerendered = try Data(contentsOf: URL(fileURLWithPath: again + "/" + name))
            #expect(original == rerendered, "\(name) differs")
        }
    }

    /// report.html, opened in headless Chromium, renders the timeline: the screenshot is not blank.
    @Test func htmlTimelineRendersInChromium() async throws {
        guard
            let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            if ProcessInfo.processInfo.environment["TESTSHARD_REQUIRE_CHROMIUM"] == "1" {
                Issue.record("chromium is not installed but TESTSHARD_REQUIRE_CHROMIUM=1 (apt-get install chromium)")
            }
            return
        }
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_a.py": SuiteFixture.testFile(tests: 3, sleep: 0.2, failing: [1]),
                "tests/test_b.py": SuiteFixture.testFile(tests: 2, sleep: 0.2),
                "tests/test_c.py": SuiteFixture.testFile(tests: 2),
            ]
        )
        defer { suite.remove() }
        let out = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "2", "--report-dir", out],
            in: suite.root
        )
        #expect(status == 1, "\(run.transcript)")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg"), "the timeline is inline SVG")
        for reference in ["src=\"http", "href=\"http", "url(http", "@import", "<link", "<script src"] {
            #expect(!html.contains(reference), "self-contained: no network reference (\(reference))")
        }

        let screenshot = suite.path("timeline.png")
        let (shot, browser) = try await runToEnd(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1600",
                "--screenshot=\(screenshot)", "file://\(out)/report.html",
            ],
            in: suite.root,
            timeout: 120
        )
        #expect(shot == 0, "\(browser.transcript)")
        // Count distinct colours of the decoded PNG: a blank page has one.
        let (counted, counter) = try await runToEnd(
            "/usr/bin/env",
            ["python3", "-c", Self.pngColours, screenshot],
            in: suite.root
        )
        #expect(counted == 0, "\(counter.transcript)")
        let colours = Int(counter.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(colours >= 8, "the screenshot has \(colours) colours: blank page?")
    }

    /// Decodes an 8-bit RGB/RGBA PNG (no libraries) and prints how many distinct colours it has.
    static let pngColours = #"""
        import struct, sys, zlib
        data = open(sys.argv[1], "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
        pos, idat, width, height, ctype = 8, b"", 0, 0, 0
        while pos < len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b"IHDR":
                width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            elif kind == b"IDAT":
                idat += body
            pos += 12 + length
        bpp = {2: 3, 6: 4}[ctype]
        raw = zlib.decompress(idat)
        stride = width * bpp
        prev = bytearray(stride)
        colours = set()
        for y in range(height):
            f = raw[y * (stride + 1)]
            line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                if f == 1: line[i] = (line[i] + a) & 255
                elif f == 2: line[i] = (line[i] + b) & 255
                elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
                elif f == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            for x in range(0, stride, bpp * 4):
                colours.add(bytes(line[x:x + 3]))
            prev = line
        print(len(colours))
        """#
}

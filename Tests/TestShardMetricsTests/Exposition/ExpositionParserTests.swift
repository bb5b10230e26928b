import Testing

/// The test parser must refuse what Prometheus refuses, or the rendering tests prove nothing.
@Suite struct ExpositionParserTests {
    @Test(arguments: [
        "# HELP x_total h\n# TYPE x_total counter\nx_total 1",  // no final newline
        "# HELP x h\n# TYPE x counter\nx 1\n",  // counter without _total
        "x 1\n",  // sample before HELP and TYPE
        "# HELP x h\n# TYPE x gauge\nx{a=\"b\"c\"} 1\n",  // unescaped quote
        "# HELP x h\n# TYPE x gauge\nx{a=\"b\\q\"} 1\n",  // unknown escape
        "# HELP x h\n# TYPE x gauge\nx{1a=\"b\"} 1\n",  // bad label name
        "# HELP x h\n# TYPE x gauge\nx one\n",  // bad value
        "# HELP x h\n# TYPE x gauge\ny 1\n",  // sample of another family
        "# HELP x h\n# TYPE x gauge\nx 1\n# HELP x h\n# TYPE x gauge\n",  // family twice
        "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
        "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",  // no +Inf
    ])
    func refusesTextPrometheusWouldRefuse(text: String) {
        #expect(throws: ExpositionParser.Failure.self) { try ExpositionParser.parse(text) }
    }

    @Test func readsEscapesHistogramsAndTimestamps() throws {
        let text = """
            # HELP x_total a \\\\ b\\nc
            # TYPE x_total counter
            x_total{a="q\\"\\\\\\n",b=""} 3 1700000000000
            # HELP h h
            # TYPE h histogram
            h_bucket{le="0.5"} 1
            h_bucket{le="+Inf"} 2
            h_sum 1.5
            h_count 2

            """
        let families = try ExpositionParser.parse(text)
        #expect(families.map(\.name) == ["x_total", "h"])
        #expect(families[0].help == "a \\ b\nc")
        #expect(families[0].samples[0].label("a") == "q\"\\\n")
        #expect(families[0].samples[0].value == 3)
        #expect(families[1].samples.count == 4)
    }
}

import NIOHTTP1
import Testing

@testable import TestShardMetrics

@Suite struct MetricsRouteTests {
    @Test(arguments: [
        (HTTPMethod.GET, "/healthz", MetricsRoute.health),
        (.GET, "/metrics", .metrics),
        (.GET, "/metrics?name[]=testshard_items", .metrics),
        (.GET, "/healthz#top", .health),
        (.GET, "/", .notFound),
        (.GET, "/metrics/", .notFound),
        (.GET, "/METRICS", .notFound),
        (.POST, "/metrics", .methodNotAllowed),
        (.HEAD, "/healthz", .methodNotAllowed),
        (.DELETE, "/healthz", .methodNotAllowed),
        (.POST, "/nothing-here", .notFound),
    ])
    func routesByExactPathThenMethod(method: HTTPMethod, uri: String, route: MetricsRoute) {
        #expect(MetricsRoute(method: method, uri: uri) == route)
    }

    @Test func healthSaysOkWithThePhase() {
        let response = MetricsHTTPResponse.health(MetricsSnapshot(runID: "r", phase: .stopping))
        #expect(response.status == .ok)
        #expect(response.body == "ok stopping\n")
        #expect(response.contentType.hasPrefix("text/plain"))
    }

    @Test func metricsCarriesTheExpositionContentTypeAndText() {
        let snapshot = midRunSnapshot()
        let response = MetricsHTTPResponse.metrics(snapshot)
        #expect(response.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.body == PrometheusText.render(snapshot))
    }

    @Test func methodNotAllowedNamesTheAllowedMethod() {
        #expect(MetricsHTTPResponse.methodNotAllowed.status == .methodNotAllowed)
        #expect(MetricsHTTPResponse.methodNotAllowed.extraHeaders == ["Allow": "GET"])
    }

    @Test func readsTheSnapshotOnlyForRoutesThatShowIt() async {
        let counter = SnapshotSource(MetricsSnapshot(runID: "r"))
        _ = await MetricsHTTPResponse.answering(.notFound) { counter.next() }
        _ = await MetricsHTTPResponse.answering(.methodNotAllowed) { counter.next() }
        #expect(counter.reads == 0)
        _ = await MetricsHTTPResponse.answering(.metrics) { counter.next() }
        _ = await MetricsHTTPResponse.answering(.health) { counter.next() }
        #expect(counter.reads == 2)
    }
}

import Foundation
import Synchronization
import TestShardModel
import Testing

@testable import TestShardMetrics

/// A real server on `127.0.0.1:0`, talked to over plain sockets. No assertion depends on how fast
/// anything happens: timeouts are short so the tests finish quickly, and reads wait up to 20 s.
@Suite(.timeLimit(.minutes(2)))
struct MetricsServerTests {
    /// Timeouts short enough that tests about them finish quickly.
    static let quickTimeouts = MetricsServer.Configuration(idleTimeoutSeconds: 0.3, requestTimeoutSeconds: 0.3)

    func withServer(
        _ configuration: MetricsServer.Configuration = .init(),
        source: SnapshotSource = SnapshotSource(midRunSnapshot()),
        log: LogSink = LogSink(),
        _ body: (Int) async throws -> Void
    ) async throws {
        let server = try await MetricsServer.start(
            host: "127.0.0.1",
            port: 0,
            configuration: configuration,
            snapshot: { source.next() },
            log: { log.append($0) }
        )
        #expect(server.boundPort > 0)
        do {
            try await body(server.boundPort)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// One request on a fresh connection.
    func request(_ port: Int, _ text: String) async throws -> TestHTTPClient.Response {
        try await TestHTTPClient.run {
            let client = try TestHTTPClient(port: port)
            try client.write(text)
            return try client.readResponse()
        }
    }

    func get(_ port: Int, _ path: String) async throws -> TestHTTPClient.Response {
        try await request(port, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    }

    // MARK: - Routes

    @Test func healthzSaysOkWithTheCurrentPhase() async throws {
        let source = SnapshotSource(MetricsSnapshot(runID: "r", phase: .running))
        try await withServer(source: source) { port in
            let first = try await get(port, "/healthz")
            #expect(first.status == 200)
            #expect(first.body == "ok running\n")
            #expect(first.headers["content-type"]?.hasPrefix("text/plain") == true)
            source.update { $0.phase = .finished }
            #expect(try await get(port, "/healthz").body == "ok finished\n")
        }
    }

    @Test func metricsShowsTheSnapshotOfTheMomentOnEveryScrape() async throws {
        let source = SnapshotSource(midRunSnapshot(runID: "scrape"))
        try await withServer(source: source) { port in
            let first = try await get(port, "/metrics")
            #expect(first.status == 200)
            #expect(first.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            let before = try ExpositionParser.parse(first.body)
            #expect(before.value("testshard_queue_items") == 41)
            #expect(before.value("testshard_requeues_total") == 5)

            source.update {
                $0.queuedItems = 0
                $0.requeues = 6
                $0.shardDurations.record(seconds: 7)
            }
            let after = try ExpositionParser.parse(try await get(port, "/metrics").body)
            #expect(after.value("testshard_queue_items") == 0)
            #expect(after.value("testshard_requeues_total") == 6)
            #expect(after.value("testshard_shard_duration_seconds_count") == 6)
        }
    }

    @Test func answersUnknownPathsWith404AndOtherMethodsWith405() async throws {
        let source = SnapshotSource(midRunSnapshot())
        try await withServer(source: source) { port in
            let responses = try await TestHTTPClient.run {
                let client = try TestHTTPClient(port: port)
                try client.write("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
                let notFound = try client.readResponse()
                try client.write("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
                let post = try client.readResponse()
                try client.write("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                let delete = try client.readResponse()
                return [notFound, post, delete]
            }
            #expect(responses.map(\.status) == [404, 405, 405])
            #expect(responses[1].headers["allow"] == "GET")
            #expect(responses[2].headers["allow"] == "GET")
            #expect(source.reads == 0)
        }
    }

    // MARK: - Connections

    @Test func keepsAConnectionAliveUntilTheClientAsksToClose() async throws {
        try await withServer { port in
            let (statuses, connectionHeader, closed) = try await TestHTTPClient.run {
                let client = try TestHTTPClient(port: port)
                var statuses: [Int] = []
                for path in ["/healthz", "/metrics", "/healthz"] {
                    try client.write("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                    statuses.append(try client.readResponse().status)
                }
                try client.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                let last = try client.readResponse()
                return (statuses + [last.status], last.headers["connection"], client.readUntilClosed().closed)
            }
            #expect(statuses == [200, 200, 200, 200])
            #expect(connectionHeader == "close")
            #expect(closed)
        }
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        try await withServer { port in
            let responses = try await TestHTTPClient.run {
                let client = try TestHTTPClient(port: port)
                try client.write(
                    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                )
                return try (0..<3).map { _ in try client.readResponse() }
            }
            #expect(responses.map(\.status) == [200, 404, 200])
            #expect(responses[2].body.hasPrefix("# HELP"))
        }
    }

    @Test func answersHTTP10InKindAndClosesAfterward() async throws {
        try await withServer { port in
            let (response, closed) = try await TestHTTPClient.run {
                let client = try TestHTTPClient(port: port)
                try client.write("GET /healthz HTTP/1.0\r\n\r\n")
                return (try client.readResponse(), client.readUntilClosed().closed)
            }
            #expect(response.version == "HTTP/1.0")
            #expect(response.status == 200)
            #expect(closed)
        }
    }

    @Test func answersAClientThatHalfClosesAfterItsRequest() async throws {
        try await withServer { port in
            let (response, closed) = try await TestHTTPClient.run {
                let client = try TestHTTPClient(port: port)
                try client.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
                client.shutdownWrite()
                return (try client.readResponse(), client.readUntilClosed().closed)
            }
            #expect(response.status == 200)
            #expect(closed)
        }
    }

    // MARK: - Bad clients

    @Test func closesAConnectionThatSendsGarbageAndServesTheNextClient() async throws {
        try await withServer { port in
            let (closed, reply) = try await TestHTTPClient.run {
                let client = try TestHTTPClient(port: port)
                // A TLS ClientHello's first bytes, then noise: what a misconfigured scraper sends.
                try client.write(
                    [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03] + Array("\r\n\r\n".utf8)
                )
                let (closed, bytes) = client.readUntilClosed()
                return (closed, String(decoding: bytes, as: UTF8.self))
            }
            #expect(closed)
            #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 400"))
            #expect(try await get(port, "/healthz").status == 200)
        }
    }

    @Test func refusesAnOversizedHeadOrTargetWith400() async throws {
        var configuration = MetricsServer.Configuration()
        configuration.maxHeaderBytes = 1024
        try await withServer(configuration) { port in
            let big = String(repeating: "a", count: 4096)
            for request in [
                "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\n\r\n",
                "GET /metrics?\(big) HTTP/1.1\r\nHost: x\r\n\r\n",
            ] {
                let (status, closed) = try await TestHTTPClient.run {
                    let client = try TestHTTPClient(port: port)
                    try? client.write(request)
                    return ((try? client.readResponse())?.status, client.readUntilClosed().closed)
                }
                #expect(status == 400)
                #expect(closed)
            }
            #expect(try await get(port, "/metrics").status == 200)
        }
    }

    @Test func refusesABodyOverTheLimitWith413AndCloses() async throws {
        var configuration = MetricsServer.Configuration()
        configuration.maxBodyBytes = 1024
        try await withServer(configuration) { port in
            let chunk = String(repeating: "b", count: 2000)
            for request in [
                "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n",
                "POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n\(chunk)\r\n",
            ] {
                let (status, closed) = try await TestHTTPClient.run {
                    let client = try TestHTTPClient(port: port)
                    try client.write(request)
                    return (try client.readResponse().status, client.readUntilClosed().closed)
                }
                #expect(status == 413)
                #expect(closed)
            }
        }
    }

    @Test func closesAConnectionThatStaysIdle() async throws {
        // Not the 0.3 s of the other timeout tests: the served connection's request must arrive
        // before its idle timer fires even on a loaded machine.
        try await withServer(.init(idleTimeoutSeconds: 1)) { port in
            let (silentClosed, afterResponse) = try await TestHTTPClient.run {
                let silent = try TestHTTPClient(port: port)
                let silentClosed = silent.readUntilClosed().closed
                let served = try TestHTTPClient(port: port)
                try served.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try served.readResponse()
                return (silentClosed, served.readUntilClosed().closed)
            }
            #expect(silentClosed)
            #expect(afterResponse)
        }
    }

    @Test func closesASlowLorisThatNeverFinishesItsHead() async throws {
        try await withServer(Self.quickTimeouts) { port in
            let cutOff = try await TestHTTPClient.run {
                let client = try TestHTTPClient(port: port)
                try client.write("GET /metrics HTTP/1.1\r\nHost: x\r\n")
                // A header line every 50 ms keeps bytes coming but never completes the head.
                for _ in 0..<400 {
                    do { try client.write("X-Drip: 1\r\n") } catch { return true }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                return false
            }
            #expect(cutOff)
        }
    }

    @Test func closesAConnectionThatDribblesItsBody() async throws {
        var configuration = Self.quickTimeouts
        configuration.idleTimeoutSeconds = 60
        try await withServer(configuration) { port in
            let (closed, bytes) = try await TestHTTPClient.run {
                let client = try TestHTTPClient(port: port)
                try client.write("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
                return client.readUntilClosed()
            }
            #expect(closed)
            #expect(bytes.isEmpty)
        }
    }

    @Test func refusesConnectionsOverTheLimitWith503AndDropsAFlood() async throws {
        var configuration = MetricsServer.Configuration()
        configuration.maxConnections = 1
        let log = LogSink()
        try await withServer(configuration, log: log) { port in
            let (held, dropped, refused, refusedClosed) = try await TestHTTPClient.run {
                let holder = try TestHTTPClient(port: port)
                try holder.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                let held = try holder.readResponse().status
                // One of these gets the only place left for a 503; the other finds none and is
                // closed at once. Which is which is up to the event loops: the one closed first is
                // the dropped one, as the other waits (idle timeout 75 s) for its request.
                let extras = try [TestHTTPClient(port: port), TestHTTPClient(port: port)]
                guard let droppedIndex = TestHTTPClient.firstReadable(extras) else {
                    throw TestHTTPClient.Failure(description: "neither extra connection was closed")
                }
                let dropped = extras[droppedIndex].readUntilClosed()
                let waiting = extras[1 - droppedIndex]
                try waiting.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
                let refused = try waiting.readResponse()
                return (held, dropped, refused, waiting.readUntilClosed().closed)
            }
            #expect(held == 200)
            #expect(dropped.closed && dropped.bytes.isEmpty)
            #expect(refused.status == 503)
            #expect(refused.headers["retry-after"] == "1")
            #expect(refusedClosed)
            #expect(log.all.contains { $0.level == .warning && $0.message.contains("refusing metrics connection") })

            // The holder is gone now; its place frees once the server sees the close.
            var status = 503
            for _ in 0..<100 where status != 200 {
                status = (try? await get(port, "/healthz").status) ?? 0
                if status != 200 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(status == 200)
        }
    }

    @Test func survivesRandomBytesOnManyConnections() async throws {
        // Each client half-closes after its noise, so the server ends every connection at once,
        // without waiting for a timeout.
        try await withServer { port in
            try await TestHTTPClient.run {
                var generator = SplitMix64(seed: 7)
                for index in 0..<60 {
                    let client = try TestHTTPClient(port: port)
                    let noise = (0..<Int.random(in: 1...3000, using: &generator)).map { _ in
                        UInt8.random(in: 0...255, using: &generator)
                    }
                    // Half start like a request, so the noise reaches the header and body parsers.
                    let prefix = index.isMultiple(of: 2) ? Array("POST /metrics HTTP/1.1\r\nHost: x\r\n".utf8) : []
                    try? client.write(prefix + noise)
                    client.shutdownWrite()
                    _ = client.readUntilClosed()
                }
            }
            let after = try await get(port, "/metrics")
            #expect(after.status == 200)
            #expect(try ExpositionParser.parse(after.body).isEmpty == false)
        }
    }

    // MARK: - Lifecycle

    @Test func stopEndsOpenConnectionsAndFreesThePort() async throws {
        let server = try await MetricsServer.start(host: "127.0.0.1", port: 0) { midRunSnapshot() }
        let port = server.boundPort
        let client = try await TestHTTPClient.run {
            let client = try TestHTTPClient(port: port)
            try client.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try client.readResponse()
            return client
        }
        await server.stop()
        #expect(try await TestHTTPClient.run { client.readUntilClosed().closed })
        await #expect(throws: TestHTTPClient.Failure.self) {
            _ = try await TestHTTPClient.run { try TestHTTPClient(port: port) }
        }
        await server.stop()
    }

    /// Peers keep connecting while the server stops: a connection NIO set up as the listener
    /// closed used to be dropped unclosed, and NIO traps on that (the whole test process dies).
    /// The flood runs until the port refuses it, and the server stops only once the flood is
    /// connecting, so the stop always lands inside it. Several rounds, because the window is a race.
    @Test func stopDuringAFloodOfConnectionsClosesEveryOne() async throws {
        for _ in 0..<5 {
            let server = try await MetricsServer.start(host: "127.0.0.1", port: 0) { midRunSnapshot() }
            let port = server.boundPort
            let opened = FloodCount()
            let flood = Task.detached {
                var clients: [TestHTTPClient] = []
                while clients.count < 5_000, let client = try? TestHTTPClient(port: port) {
                    clients.append(client)
                    opened.increment()
                }
                return clients.count
            }
            while opened.value < 20 { try await Task.sleep(for: .milliseconds(1)) }
            await server.stop()
            let connected = await flood.value
            #expect(connected >= 20)
            await #expect(throws: TestHTTPClient.Failure.self) {
                _ = try await TestHTTPClient.run { try TestHTTPClient(port: port) }
            }
        }
    }

    @Test func refusesAnAddressInUse() async throws {
        try await withServer { port in
            let error = await #expect(throws: MetricsServerError.self) {
                _ = try await MetricsServer.start(host: "127.0.0.1", port: port) { midRunSnapshot() }
            }
            #expect(error?.code == .bindFailed)
            #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        }
    }

    @Test func refusesAnInvalidAddressOrConfiguration() async throws {
        let badPort = await #expect(throws: MetricsServerError.self) {
            _ = try await MetricsServer.start(host: "127.0.0.1", port: 70000) { midRunSnapshot() }
        }
        #expect(badPort?.code == .invalidAddress)
        #expect(badPort?.message.contains("70000") == true)

        let badTimeout = await #expect(throws: MetricsServerError.self) {
            _ = try await MetricsServer.start(
                host: "127.0.0.1",
                port: 0,
                configuration: .init(idleTimeoutSeconds: 0)
            ) { midRunSnapshot() }
        }
        #expect(badTimeout?.code == .invalidConfiguration)
        #expect(badTimeout?.message.contains("idleTimeoutSeconds is 0.0") == true)
    }
}

/// How many connections a flood has opened so far.
private final class FloodCount: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

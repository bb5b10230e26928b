import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deliberately dumb HTTP client over a blocking TCP socket: it sends exactly the bytes a test
/// gives it (garbage included) and reads responses by `Content-Length`. Blocking calls run on a
/// thread of their own (`TestHTTPClient.run`), so the cooperative pool stays free for the server's
/// snapshot closure even on a two-core machine. `@unchecked Sendable` so a test can keep a
/// connection open across an `await`; each test uses it from one thread at a time.
final class TestHTTPClient: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One parsed response.
    struct Response: Sendable {
        var version: String
        var status: Int
        /// Names lowercased.
        var headers: [String: String]
        var body: String
    }

    private let descriptor: Int32
    private var buffered: [UInt8] = []

    /// Connects to `127.0.0.1:port`; reads give up after `readTimeoutSeconds` (a test failure, never
    /// a hang).
    ///
    /// The socket becomes `descriptor` only once connected: an initializer that throws after every
    /// stored property is set still runs `deinit`, and closing the socket there too would close
    /// whatever reused its number meanwhile — in this test process, the metrics server's freshly
    /// accepted connection (NIO then traps in `epoll_ctl` with EBADF; seen in CI during the flood test).
    init(port: Int, readTimeoutSeconds: Int = 20) throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(description: "connect to port \(port) failed: errno \(code)")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    #if canImport(Glibc)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let noSignal: Int32 = 0
    #endif

    /// Runs `body` on a new thread and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.start()
        }
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            // No SIGPIPE when the server has closed: the write fails with EPIPE instead.
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Self.noSignal) }
            guard written > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += written
        }
    }

    /// Tells the server this side sends nothing more (a half-close).
    func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads one response. Throws when the connection ends or stays silent first.
    func readResponse() throws -> Response {
        let separator = Array("\r\n\r\n".utf8)
        while firstRange(of: separator) == nil {
            guard try fill() else { throw Failure(description: "connection closed before a response head") }
        }
        let headEnd = firstRange(of: separator)!
        let headText = String(decoding: buffered[..<headEnd], as: UTF8.self)
        buffered.removeFirst(headEnd + separator.count)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line in \(headText)")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        let length = Int(headers["content-length"] ?? "") ?? 0
        while buffered.count < length {
            guard try fill() else { throw Failure(description: "connection closed inside a response body") }
        }
        let body = String(decoding: buffered[..<length], as: UTF8.self)
        buffered.removeFirst(length)
        return Response(version: String(statusLine[0]), status: status, headers: headers, body: body)
    }

    /// Reads until the server closes the connection: `true` then, `false` if it was still open when
    /// the read timeout passed. The bytes read on the way are returned too.
    func readUntilClosed() -> (closed: Bool, bytes: [UInt8]) {
        while true {
            do {
                guard try fill() else { return (true, buffered) }
            } catch {
                return (false, buffered)
            }
        }
    }

    /// The index of the first of `clients` with something to read (data, or the end of the
    /// connection), waiting up to `timeoutSeconds`; `nil` if none has.
    static func firstReadable(_ clients: [TestHTTPClient], timeoutSeconds: Int = 20) -> Int? {
        var descriptors = clients.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        guard poll(&descriptors, nfds_t(descriptors.count), Int32(timeoutSeconds * 1000)) > 0 else { return nil }
        return descriptors.firstIndex { $0.revents != 0 }
    }

    /// Appends what the socket has; `false` at end of stream. A reset counts as the end.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffered += chunk[..<count]
            return true
        }
        if count == 0 || errno == ECONNRESET { return false }
        throw Failure(description: "read failed or timed out: errno \(errno)")
    }

    private func firstRange(of separator: [UInt8]) -> Int? {
        guard buffered.count >= separator.count else { return nil }
        return (0...(buffered.count - separator.count)).first {
            buffered[$0..<$0 + separator.count].elementsEqual(separator)
        }
    }
}

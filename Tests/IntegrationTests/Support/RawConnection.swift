import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP socket to the coordinator, for tests that play a hostile peer: it writes whatever
/// bytes it is told to, frames or not, and reads with time limits. No NIO: the attacker should share
/// nothing with the code under attack.
final class RawConnection: @unchecked Sendable {
    // @unchecked: one test task owns each connection.
    private let fd: Int32
    private var pending: [UInt8] = []
    /// The local port: the coordinator logs the peer as `127.0.0.1:<port>`, so a test finds the log
    /// line of exactly this connection.
    let localPort: Int

    /// Connects to `address` (`127.0.0.1:7070`).
    init(_ address: String) throws {
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw RawConnectionError("bad address \(address)") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket: \(String(cString: strerror(errno)))") }
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = port.bigEndian
        inet_pton(AF_INET, String(parts[0]), &remote.sin_addr)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw RawConnectionError("connect \(address): \(reason)")
        }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        localPort = Int(UInt16(bigEndian: local.sin_port))
    }

    /// Wraps a socket accepted by `RawListener` (the test plays the coordinator).
    fileprivate init(accepted fd: Int32, peerPort: Int) {
        self.fd = fd
        localPort = peerPort
    }

    deinit { Glibc.close(fd) }

    /// Ends the connection from this side (both directions).
    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// `127.0.0.1:<port>` as the coordinator's log names this connection.
    var peerText: String { "127.0.0.1:\(localPort)" }

    /// Writes `bytes`; `false` once the coordinator has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a write to a closed socket must not kill the test process with SIGPIPE.
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// Writes one frame: the 4-byte big-endian length of `body`, then `body`.
    @discardableResult
    func sendFrame(_ body: [UInt8]) -> Bool {
        let length = UInt32(body.count)
        return send(
            [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
                + body
        )
    }

    /// Writes one frame holding `json`.
    @discardableResult
    func sendFrame(json: String) -> Bool { sendFrame(Array(json.utf8)) }

    /// The next frame's body as a JSON object, or `nil` when none arrives within `timeout` seconds
    /// or the connection ends.
    func readMessage(timeout: Double) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if pending.count >= 4 {
                let length = Int(pending[0]) << 24 | Int(pending[1]) << 16 | Int(pending[2]) << 8 | Int(pending[3])
                if pending.count >= 4 + length {
                    let body = Data(pending[4..<(4 + length)])
                    pending.removeFirst(4 + length)
                    return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                }
            }
            guard case .data(let bytes) = read(until: deadline) else { return nil }
            pending += bytes
        }
    }

    /// Reads the next message of `type`, skipping others (an `assign` may come first).
    func readMessage(ofType type: String, timeout: Double) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while let message = readMessage(timeout: max(0, deadline.timeIntervalSinceNow)) {
            if message["type"] as? String == type { return message }
        }
        return nil
    }

    /// Whether the coordinator closes the connection within `timeout` seconds; whatever it sends
    /// first (an `error` frame) is read and dropped.
    func closedByPeer(within timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            switch read(until: deadline) {
            case .closed: return true
            case .timedOut: return false
            case .data: continue
            }
        }
    }

    /// Everything received until the close (at most `timeout` seconds), as text: the `error` frame's
    /// JSON shows up in it.
    func textUntilClosed(timeout: Double) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var received = pending
        pending = []
        while case .data(let bytes) = read(until: deadline) { received += bytes }
        return String(decoding: received, as: UTF8.self)
    }

    private enum ReadResult {
        case data([UInt8])
        case closed
        case timedOut
    }

    private func read(until deadline: Date) -> ReadResult {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { return .timedOut }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(min(remaining, 3600) * 1000))
        if ready == 0 { return .timedOut }
        if ready < 0 { return errno == EINTR ? read(until: deadline) : .closed }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        // 0 is an orderly close; an error (a reset after the coordinator closed) is a close too.
        if count <= 0 { return .closed }
        return .data(Array(buffer[0..<count]))
    }
}

struct RawConnectionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A listening socket on 127.0.0.1 for tests that play the coordinator towards a real worker.
final class RawListener: @unchecked Sendable {
    // @unchecked: one test task owns the listener.
    private let fd: Int32
    /// The port the system chose.
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw RawConnectionError("bind/listen 127.0.0.1:0: \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { Glibc.close(fd) }

    /// `127.0.0.1:<port>`, for `--coordinator`.
    var address: String { "127.0.0.1:\(port)" }

    /// The next connection, or `nil` when none arrives within `timeout` seconds.
    func accept(timeout: Double) -> RawConnection? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var peer = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let connection = withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(fd, $0, &length) }
        }
        guard connection >= 0 else { return nil }
        return RawConnection(accepted: connection, peerPort: Int(UInt16(bigEndian: peer.sin_port)))
    }
}

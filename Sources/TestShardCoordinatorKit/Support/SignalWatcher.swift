import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a callback (the first time) and an immediate exit (the second), so
/// a coordinator stopped by a user or by systemd still writes its report.
final class SignalWatcher: @unchecked Sendable {
    // @unchecked: the sources are created in `init` and only cancelled afterwards.
    private var sources: [DispatchSourceSignal] = []

    init(_ onSignal: @escaping @Sendable (String) -> Void) {
        var seen = 0
        let queue = DispatchQueue(label: "testshard.signals")
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                seen += 1
                if seen > 1 {
                    FileHandle.standardError.write(Data("testshard-coordinator: second \(name): exiting now\n".utf8))
                    exit(130)
                }
                onSignal(name)
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

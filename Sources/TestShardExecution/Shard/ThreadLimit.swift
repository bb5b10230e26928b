/// How many threads the numeric libraries in one shard may start, so shards running side by side
/// on one host do not oversubscribe its cores.
///
/// OpenBLAS, MKL, BLIS and OpenMP programs start one thread per core by default. Two shards on a
/// 2-core host then run four busy threads on two cores. Measured on numpy's own tests
/// (docs/BENCHMARKS.md, "Against pytest-xdist"), `linalg/tests/test_regression.py` took 1.6–1.8 s
/// alone and 11–16 s beside another shard, and 2.1 s with `OPENBLAS_NUM_THREADS=1`. A worker
/// therefore gives each shard the host's cores divided by the shards that run on it at once — what
/// joblib does for its worker processes — through the libraries' own environment variables.
///
/// A variable the worker's environment or the suite's `env` already sets is left as it is: the
/// suite's owner decides. Nothing is set when one shard has the host to itself.
public struct ThreadLimit: Hashable, Sendable {
    /// The variables set, each to `threads`: OpenMP, OpenBLAS,
    /// MKL, BLIS, Apple's Accelerate and numexpr.
    public static let variables = [
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "BLIS_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
        "NUMEXPR_NUM_THREADS",
    ]

    /// Threads per shard, at least 1.
    public let threads: Int

    public init(threads: Int) {
        self.threads = max(1, threads)
    }

    /// The limit for `shardsAtOnce` shards on a host with `cores` cores: the cores divided among
    /// them, at least one each; `nil` when at most one shard runs at a time.
    public static func dividing(cores: Int, among shardsAtOnce: Int) -> ThreadLimit? {
        guard shardsAtOnce > 1 else { return nil }
        return ThreadLimit(threads: max(1, cores) / shardsAtOnce)
    }

    /// The worker's `--threads-per-shard`: `auto` (the default), `off`, or a number of threads.
    public enum Setting: Hashable, Sendable {
        /// The host's cores divided among the shards that run on it at once.
        case auto
        /// Leave the environment alone.
        case off
        /// This many threads per shard, however many shards run at once.
        case fixed(Int)

        /// `auto`, `off` or a whole number from 1 to 4096; `nil` for anything else.
        public init?(parsing text: String) {
            switch text {
            case "auto": self = .auto
            case "off": self = .off
            default:
                guard let number = Int(text), (1...4096).contains(number) else { return nil }
                self = .fixed(number)
            }
        }

        /// The limit on a host with `cores` cores where `shardsAtOnce` shards run at once.
        public func limit(cores: Int, shardsAtOnce: Int) -> ThreadLimit? {
            switch self {
            case .auto: ThreadLimit.dividing(cores: cores, among: shardsAtOnce)
            case .off: nil
            case .fixed(let threads): ThreadLimit(threads: threads)
            }
        }
    }

    /// `environment` (a shard's own variables) with each of `variables` added that neither it nor
    /// `inherited` (the environment the command starts from) sets.
    public func applied(to environment: [String: String], inherited: [String: String]) -> [String: String] {
        var result = environment
        for name in Self.variables where environment[name] == nil && inherited[name] == nil {
            result[name] = String(threads)
        }
        return result
    }
}

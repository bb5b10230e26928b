import Foundation

/// SplitMix64: a fixed-seed generator so property tests see the same inputs on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * unit())
    }

    /// Lognormal with median `median` and shape `sigma`.
    mutating func lognormal(median: Double, sigma: Double) -> Double { median * exp(sigma * normal()) }

    /// Pareto with scale `minimum` and tail index `alpha` (smaller alpha, heavier tail).
    mutating func pareto(minimum: Double, alpha: Double) -> Double { minimum / pow(1 - unit(), 1 / alpha) }
}

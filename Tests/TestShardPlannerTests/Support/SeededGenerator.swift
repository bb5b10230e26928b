import Foundation
import TestShardModel

/// The fixed-seed generator property tests draw from, so they see the same inputs on every run.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
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

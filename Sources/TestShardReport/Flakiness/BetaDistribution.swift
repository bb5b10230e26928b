import Foundation

/// The Beta distribution's CDF and quantiles, for the flakiness score's 90% interval.
/// Numerically: Lanczos log-gamma, the regularized incomplete beta by Lentz's continued fraction,
/// and bisection for the quantile (the CDF is monotone, so bisection always converges).
public struct BetaDistribution: Sendable, Hashable {
    public let alpha: Double
    public let beta: Double

    /// - Precondition: both shapes positive and finite (the scorer always adds a positive prior).
    public init(alpha: Double, beta: Double) {
        precondition(
            alpha > 0 && beta > 0 && alpha.isFinite && beta.isFinite,
            "Beta(\(alpha), \(beta)) needs positive shapes"
        )
        self.alpha = alpha
        self.beta = beta
    }

    public var mean: Double { alpha / (alpha + beta) }

    /// P(X ≤ x): the regularized incomplete beta function I_x(α, β).
    public func cdf(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront =
            Self.logGamma(alpha + beta) - Self.logGamma(alpha) - Self.logGamma(beta) + alpha * log(x) + beta
            * log(1 - x)
        let front = exp(logFront)
        // The continued fraction converges fast for x < (α+1)/(α+β+2); use the symmetry otherwise.
        if x < (alpha + 1) / (alpha + beta + 2) {
            return front * Self.continuedFraction(x: x, a: alpha, b: beta) / alpha
        }
        return 1 - front * Self.continuedFraction(x: 1 - x, a: beta, b: alpha) / beta
    }

    /// The `p` quantile: the x with `cdf(x) = p`, to within `tolerance`.
    public func quantile(_ p: Double, tolerance: Double = 1e-12) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var low = 0.0
        var high = 1.0
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid) < p { low = mid } else { high = mid }
            if high - low < tolerance { break }
        }
        return (low + high) / 2
    }

    /// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits).
    static func logGamma(_ x: Double) -> Double {
        let coefficients: [Double] = [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ]
        if x < 0.5 {
            // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
            return log(Double.pi / abs(sin(Double.pi * x))) - logGamma(1 - x)
        }
        let z = x - 1
        var sum = coefficients[0]
        for i in 1..<coefficients.count { sum += coefficients[i] / (z + Double(i)) }
        let t = z + 7.5
        return 0.5 * log(2 * Double.pi) + (z + 0.5) * log(t) - t + log(sum)
    }

    /// Lentz's method for the incomplete beta continued fraction.
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}

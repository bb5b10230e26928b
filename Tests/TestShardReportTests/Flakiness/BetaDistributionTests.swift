import Testing

@testable import TestShardReport

/// Against scipy.stats.beta (values in the comments' order).
@Suite struct BetaDistributionTests {
    @Test func uniformQuantileIsTheProbability() {
        let uniform = BetaDistribution(alpha: 1, beta: 1)
        for p in [0.05, 0.3, 0.5, 0.95] { #expect(abs(uniform.quantile(p) - p) < 1e-9) }
    }

    @Test func matchesScipy() {
        let b25 = BetaDistribution(alpha: 2, beta: 5)
        #expect(abs(b25.cdf(0.3) - 0.579825) < 1e-9)
        #expect(abs(b25.quantile(0.95) - 0.5818034092520259) < 1e-9)
        #expect(abs(b25.quantile(0.05) - 0.06284989170835438) < 1e-9)
        let prior = BetaDistribution(alpha: 0.25, beta: 4.75)
        #expect(abs(prior.mean - 0.05) < 1e-12)
        #expect(abs(prior.quantile(0.95) - 0.24080921013648426) < 1e-8)
        #expect(abs(prior.quantile(0.05) - 9.62296520791859e-07) < 1e-9)
        #expect(abs(BetaDistribution(alpha: 10.25, beta: 0.75).quantile(0.05) - 0.7820552588787486) < 1e-8)
        #expect(abs(BetaDistribution(alpha: 0.25, beta: 30).quantile(0.95) - 0.04002134108004773) < 1e-8)
        #expect(abs(BetaDistribution(alpha: 50, beta: 3).cdf(0.9) - 0.09663328513725222) < 1e-9)
    }

    @Test func logGammaMatchesFactorials() {
        #expect(abs(BetaDistribution.logGamma(5) - 3.1780538303479458) < 1e-12)
        #expect(abs(BetaDistribution.logGamma(0.5) - 0.5723649429247001) < 1e-12)
    }
}

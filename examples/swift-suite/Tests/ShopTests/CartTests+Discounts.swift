import Testing

@testable import Shop

// Tests of `CartSuite` declared in another file: they belong to this file.
extension CartSuite {
    @Test func appliesTenPercent() {
        #expect(discounted(1000, percent: 10) == 900)
    }

    @Test func roundsHalfUp() {
        // 995 × 0.5 = 497.5 → 498; the implementation truncates to 497.
        #expect(discounted(995, percent: 50) == 498)
    }
}

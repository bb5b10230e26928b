import XCTest

@testable import Shop

final class PriceXCTests: XCTestCase {
    func testTotalOfTwoLines() {
        XCTAssertEqual(total([Line(sku: "a", cents: 100, quantity: 1), Line(sku: "b", cents: 50, quantity: 2)]), 200)
    }

    func testDiscountOfAThird() {
        // 101 × 0.67 = 67.67 → 68; the implementation truncates to 67.
        XCTAssertEqual(discounted(101, percent: 33), 68)
    }
}

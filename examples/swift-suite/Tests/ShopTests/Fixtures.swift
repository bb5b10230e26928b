@testable import Shop

// Helpers only: no tests, so a shard holding this file runs nothing for it.
enum Fixtures {
    static let oneOfEach = [Line(sku: "a", cents: 100, quantity: 1), Line(sku: "b", cents: 200, quantity: 1)]
}

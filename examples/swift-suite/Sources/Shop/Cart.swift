/// A cart line: a product and how many of it.
public struct Line: Sendable, Equatable {
    public var sku: String
    public var cents: Int
    public var quantity: Int

    public init(sku: String, cents: Int, quantity: Int) {
        self.sku = sku
        self.cents = cents
        self.quantity = quantity
    }
}

/// The sum of the lines, in cents.
public func total(_ lines: [Line]) -> Int {
    lines.reduce(0) { $0 + $1.cents * $1.quantity }
}

/// `lines` with `line` added, merged into a line of the same product.
public func adding(_ line: Line, to lines: [Line]) -> [Line] {
    guard let index = lines.firstIndex(where: { $0.sku == line.sku }) else { return lines + [line] }
    var merged = lines
    merged[index].quantity += line.quantity
    return merged
}

/// The price after a discount of `percent`. The bug the example's failing tests find: it truncates
/// instead of rounding half up.
public func discounted(_ cents: Int, percent: Int) -> Int {
    cents * (100 - percent) / 100
}

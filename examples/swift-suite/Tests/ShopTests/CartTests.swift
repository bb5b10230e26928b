import Testing

@testable import Shop

@Suite struct CartSuite {
    @Test func totalOfOneLine() {
        #expect(total([Line(sku: "a", cents: 250, quantity: 2)]) == 500)
    }

    @Test func emptyCartCostsNothing() {
        #expect(total([]) == 0)
    }

    @Test(arguments: [1, 2, 3])
    func mergesTheSameProduct(quantity: Int) {
        let lines = adding(Line(sku: "a", cents: 1, quantity: quantity), to: [Line(sku: "a", cents: 1, quantity: 1)])
        #expect(lines == [Line(sku: "a", cents: 1, quantity: quantity + 1)])
    }

    @Test(.disabled("needs the rates service")) func convertsCurrency() {}

    struct Limits {
        @Test func keepsZeroQuantities() {
            #expect(adding(Line(sku: "z", cents: 5, quantity: 0), to: []).first?.quantity == 0)
        }
    }
}

@Test func appendsANewProduct() {
    #expect(adding(Line(sku: "b", cents: 1, quantity: 1), to: []).count == 1)
}

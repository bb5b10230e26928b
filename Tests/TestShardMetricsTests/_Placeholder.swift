import Testing
@Test func placeholder() {}  // removed when the module lands

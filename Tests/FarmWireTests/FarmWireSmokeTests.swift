import Testing

@Test func FarmWireModuleBuilds() {
    #expect(Bool(true))
}

import Testing

@Test func FarmEncodeModuleBuilds() {
    #expect(Bool(true))
}

import Testing

@Test func FarmCoreModuleBuilds() {
    #expect(Bool(true))
}

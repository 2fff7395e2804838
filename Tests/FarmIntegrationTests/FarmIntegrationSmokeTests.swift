import Testing

@Test func FarmIntegrationModuleBuilds() {
    #expect(Bool(true))
}

import Testing

@Test func FarmCoordinatorModuleBuilds() {
    #expect(Bool(true))
}

import Testing

@Test func FarmSimModuleBuilds() {
    #expect(Bool(true))
}

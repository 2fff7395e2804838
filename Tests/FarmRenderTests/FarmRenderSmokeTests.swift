import Testing

@Test func FarmRenderModuleBuilds() {
    #expect(Bool(true))
}

import Testing

@Test func FarmPipelineModuleBuilds() {
    #expect(Bool(true))
}

extension Duration {
    /// The duration in seconds, for arithmetic with times kept as `Double`.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// The user-given names that become folders under the logs root.
public enum PathField: String, Sendable, CaseIterable {
    case workflow
    case task
    case run
    /// A clip file name inside the video directory.
    case file
}

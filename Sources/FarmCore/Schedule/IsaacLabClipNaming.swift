/// How Isaac Lab 3's recorder continues numbering in a folder that already holds clips.
public enum IsaacLabClipNaming {
    /// One more than the highest index among names matching Python's
    /// `re.match(r"^clip_(?P<index>\d+)\.mp4$", name)`, else 0. Like Python, `\d` takes any Unicode
    /// decimal digit and `$` also matches before one final newline. An index too large for `Int`
    /// is ignored.
    public static func nextClipIndex<Names: Sequence<String>>(existingFileNames names: Names) -> Int {
        var highest = -1
        for name in names {
            if let index = clipIndex(ofFileName: name) { highest = max(highest, index) }
        }
        return highest + 1
    }

    static func clipIndex(ofFileName name: String) -> Int? {
        var scalars = Substring(name).unicodeScalars[...]
        if scalars.last == "\n" { scalars = scalars.dropLast() }
        let prefix = "\(IsaacLabSchedule.namePrefix)_".unicodeScalars
        let suffix = ".mp4".unicodeScalars
        guard scalars.starts(with: prefix), scalars.reversed().starts(with: suffix.reversed()) else { return nil }
        let digits = scalars.dropFirst(prefix.count).dropLast(suffix.count)
        guard !digits.isEmpty else { return nil }
        var value = 0
        for scalar in digits {
            guard scalar.properties.numericType == .decimal,
                  let digit = scalar.properties.numericValue.map(Int.init) else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
        }
        return value
    }
}

/// How Isaac Lab 3's recorder names clips and continues numbering, per `output_filename_prefix`, in
/// a folder that already holds clips (`_clip_path`, `_next_clip_index`).
public enum IsaacLabClipNaming {
    /// `<prefix>_0000.mp4`; Python's `{index:04d}` widens past four digits.
    public static func fileName(prefix: String = IsaacLabSchedule.namePrefix, index: Int) -> String {
        let digits = String(index)
        return "\(prefix)_\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits).mp4"
    }

    /// One more than the highest index among names matching Python's
    /// `re.match(rf"^{re.escape(prefix)}_(?P<index>\d+)\.mp4$", name)`, else 0. Like Python, `\d` takes
    /// any Unicode decimal digit and `$` also matches before one final newline. An index too large
    /// for `Int` is ignored.
    public static func nextClipIndex<Names: Sequence<String>>(prefix: String = IsaacLabSchedule.namePrefix,
                                                              existingFileNames names: Names) -> Int {
        var highest = -1
        for name in names {
            if let index = clipIndex(ofFileName: name, prefix: prefix) { highest = max(highest, index) }
        }
        return highest + 1
    }

    /// The index in `name` when it is a clip of `prefix`, else nil.
    public static func clipIndex(ofFileName name: String, prefix stem: String = IsaacLabSchedule.namePrefix) -> Int? {
        var scalars = Substring(name).unicodeScalars[...]
        if scalars.last == "\n" { scalars = scalars.dropLast() }
        let prefix = "\(stem)_".unicodeScalars
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

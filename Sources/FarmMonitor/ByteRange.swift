import Foundation

/// A `Range: bytes=…` request header against a file of `size` bytes (RFC 9110 §14.1.2), one range
/// only, which is what browsers' media elements send. Pure: the HTTP side only applies it.
enum ByteRange: Equatable {
    /// No usable Range header (absent, not bytes, several ranges, malformed): the whole file, 200.
    case whole
    /// 206 with these bytes.
    case partial(ClosedRange<Int>)
    /// 416: the range lies past the end.
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            self = .whole
            return
        }
        switch (Int(parts[0]), Int(parts[1]), parts[0].isEmpty, parts[1].isEmpty) {
        case (nil, let suffix?, true, false) where suffix >= 0:
            // "-N": the last N bytes.
            self = suffix == 0 || size == 0 ? .unsatisfiable : .partial(max(0, size - suffix)...(size - 1))
        case (let start?, nil, false, true) where start >= 0:
            self = start < size ? .partial(start...(size - 1)) : .unsatisfiable
        case (let start?, let end?, false, false) where start >= 0 && end >= start:
            self = start < size ? .partial(start...min(end, size - 1)) : .unsatisfiable
        default:
            self = .whole
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Key files on disk, in the format `farmctl keys generate` writes:
///
/// - a key pair file (mode 0600), `public = <Z85>` and `secret = <Z85>` lines; ZeroMQ's zcert
///   secret certificates (`public-key = "<Z85>"`, `secret-key = "<Z85>"`) are read too;
/// - a public key file, and an allow list: one Z85 public key per line; `#` at the start of a line
///   or after whitespace starts a comment (Z85 itself uses `#`); blank lines are skipped. A `.pub` file is an allow list of one key.
public enum CurveKeyFile {
    /// Reads a key pair file; the secret must not be open to others (group read is allowed: Kubernetes
    /// gives a Secret's files mode 0440 under a pod's fsGroup).
    public static func readKeyPair(at path: String) throws(CurveKeyError) -> CurveKeyPair {
        let text = try contents(of: path)
        var attributes = stat()
        if stat(path, &attributes) == 0, attributes.st_mode & 0o027 != 0 {
            throw .file(path: path, reason: "is readable by others (mode \(String(attributes.st_mode & 0o777, radix: 8))); "
                        + "chmod 600 it: it holds a secret key")
        }
        var publicText: String?
        var secretText: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            switch parts[0] {
            case "public", "public-key": publicText = value
            case "secret", "secret-key": secretText = value
            default: continue
            }
        }
        guard let publicText, let secretText else {
            throw .file(path: path, reason: "needs `public = <Z85>` and `secret = <Z85>` lines (farmctl keys generate writes them)")
        }
        do {
            return try CurveKeyPair(publicKey: CurveKey(z85: publicText), secretKey: CurveKey(z85: secretText))
        } catch {
            throw .file(path: path, reason: "\(error)")
        }
    }

    /// Reads an allow list or public key file: every key in it, in order.
    public static func readPublicKeys(at path: String) throws(CurveKeyError) -> [CurveKey] {
        var keys: [CurveKey] = []
        for (number, line) in try contents(of: path).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Z85 uses '#', so a comment starts a line or follows whitespace; a key has no whitespace.
            let words = line.split(whereSeparator: \.isWhitespace)
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            do {
                if words.count > 1, !words[1].hasPrefix("#") {
                    throw CurveKeyError.malformed(String(line), reason: "has more than one word; put comments after '#'")
                }
                keys.append(try CurveKey(z85: String(first)))
            } catch {
                throw .file(path: path, reason: "line \(number + 1): \(error)")
            }
        }
        return keys
    }

    /// Writes `<path>` (the pair, mode 0600) and `<path>.pub` (the public key, mode 0644); refuses to
    /// overwrite either.
    public static func write(_ pair: CurveKeyPair, to path: String, comment: String) throws(CurveKeyError) {
        let note = comment.isEmpty ? "" : "# \(comment)\n"
        try create(path, mode: 0o600, text: "# RenderFarm CURVE key pair (farmctl keys generate). Keep it secret.\n"
                   + note + "public = \(pair.publicKey)\nsecret = \(pair.secretKey)\n")
        try create(path + ".pub", mode: 0o644, text: "\(pair.publicKey)\(comment.isEmpty ? "" : "  # \(comment)")\n")
    }

    private static func create(_ path: String, mode: mode_t, text: String) throws(CurveKeyError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else {
            throw .file(path: path, reason: errno == EEXIST ? "already exists; remove it first or pick another --out"
                        : String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard Glibc.write(descriptor, bytes, bytes.count) == bytes.count else {
            throw .file(path: path, reason: String(cString: strerror(errno)))
        }
    }

    private static func contents(of path: String) throws(CurveKeyError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Clips the coordinator accepted but could not file (a full or read-only logs root), kept in
/// `<state-dir>/held/<job>-<index>.mp4` until filing succeeds. Written like filed clips: a
/// temporary (`.<name>.part`, only ever this coordinator's: it holds the state directory), flushed,
/// then renamed, so a held clip is whole or absent.
struct HeldClips {
    let directory: String

    init(stateDirectory: String) throws {
        directory = (stateDirectory as NSString).appendingPathComponent("held")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A temporary here is a killed coordinator's half-written hold.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            where name.hasPrefix(".") && name.hasSuffix(".mp4.part") {
            unlink((directory as NSString).appendingPathComponent(name))
        }
    }

    /// Removes held files no held clip claims (a job cancelled while its coordinator was down).
    func removeAll(except keys: Set<ClipKey>) -> [String] {
        let keep = Set(keys.map { (path(of: $0) as NSString).lastPathComponent })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".mp4") && !keep.contains($0) }
            .map { (directory as NSString).appendingPathComponent($0) }
            .filter { unlink($0) == 0 }
    }

    func path(of key: ClipKey) -> String {
        (directory as NSString).appendingPathComponent("\(key.job)-\(key.index).mp4")
    }

    /// Keeps `data` as the clip `key`; throws when the state directory cannot take it either.
    func keep(_ data: Data, as key: ClipKey) throws(FilingError) {
        let final = path(of: key)
        let temporary = (directory as NSString).appendingPathComponent(".\(key.job)-\(key.index).mp4.part")
        try writeAtomically(data, via: temporary, to: final)
    }

    func data(of key: ClipKey) -> Data? {
        FileManager.default.contents(atPath: path(of: key))
    }

    func release(_ key: ClipKey) {
        unlink(path(of: key))
    }
}

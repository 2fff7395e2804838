import Foundation
import Synchronization

/// An allow-list file of CURVE public keys (`CurveKeyFile.readPublicKeys`' format), read again
/// whenever its modification time changes, so keys can be added to a running farm. A list that can
/// no longer be read allows no one (it fails closed) until it can.
public final class AllowList: Sendable {
    public let path: String
    private struct Snapshot {
        var modified: timespec?
        var keys: Set<String>
        var problem: String?
    }
    private let snapshot: Mutex<Snapshot>

    /// Reads the file once; a file that is missing or malformed now is an error at start.
    public init(path: String) throws(CurveKeyError) {
        self.path = path
        let keys = try CurveKeyFile.readPublicKeys(at: path)
        snapshot = Mutex(Snapshot(modified: Self.modificationTime(path), keys: Set(keys.map(\.z85)), problem: nil))
    }

    /// Whether `key` (Z85) is listed, after re-reading the file if it changed.
    public func contains(_ key: String) -> Bool {
        refreshed().keys.contains(key)
    }

    public var count: Int { refreshed().keys.count }

    private func refreshed() -> Snapshot {
        snapshot.withLock { current in
            let modified = Self.modificationTime(path)
            guard modified?.tv_sec != current.modified?.tv_sec || modified?.tv_nsec != current.modified?.tv_nsec else {
                return current
            }
            do {
                current = Snapshot(modified: modified, keys: Set(try CurveKeyFile.readPublicKeys(at: path).map(\.z85)),
                                   problem: nil)
            } catch {
                current = Snapshot(modified: modified, keys: [], problem: "\(error)")
            }
            return current
        }
    }

    /// Why the list allows no one, when it could not be read.
    public var problem: String? { refreshed().problem }

    private static func modificationTime(_ path: String) -> timespec? {
        var attributes = stat()
        return stat(path, &attributes) == 0 ? attributes.st_mtim : nil
    }
}

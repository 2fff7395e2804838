/// What a CURVE client (a worker, farmctl) needs: the coordinator's public key, to know it is talking
/// to the right server, and its own key pair, which the coordinator's allow list must hold.
public struct CurveClientKeys: Sendable, Hashable {
    public var serverKey: CurveKey
    public var keys: CurveKeyPair

    public init(serverKey: CurveKey, keys: CurveKeyPair) {
        self.serverKey = serverKey
        self.keys = keys
    }

    /// From the coordinator's public key (Z85 text) and a key pair file, as flags, the environment
    /// and farm.yaml give them; both or neither must be set.
    public static func resolve(coordinatorKey: String?, keyFile: String?) throws(CurveKeyError) -> CurveClientKeys? {
        switch (coordinatorKey, keyFile) {
        case (nil, nil):
            return nil
        case let (serverKey?, keyFile?):
            return CurveClientKeys(serverKey: try CurveKey(z85: serverKey), keys: try CurveKeyFile.readKeyPair(at: keyFile))
        case (nil, _?):
            throw .file(path: keyFile ?? "", reason: "a key file is set but not the coordinator's public key "
                        + "(--coordinator-key, FARM_COORDINATOR_KEY or farm.yaml's coordinator_key)")
        case (_?, nil):
            throw .malformed(coordinatorKey ?? "", reason: "is set as the coordinator's key, but no key pair file "
                             + "to present is (--key-file, or the FARM_*_KEY_FILE variable or farm.yaml key)")
        }
    }
}

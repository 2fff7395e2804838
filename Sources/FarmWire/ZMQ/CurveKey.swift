import CZeroMQ
import Foundation

/// A CurveZMQ key (Curve25519), as the 40-character Z85 text libzmq reads and writes.
public struct CurveKey: Sendable, Hashable, CustomStringConvertible {
    public let z85: String

    /// Checks that `text` is 40 Z85 characters that decode to 32 bytes.
    public init(z85 text: String) throws(CurveKeyError) {
        guard text.utf8.count == 40 else { throw .malformed(text, reason: "is \(text.utf8.count) characters; a Z85 key has 40") }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&bytes, text) != nil else { throw .malformed(text, reason: "is not Z85 text") }
        z85 = text
    }

    public var description: String { z85 }
}

/// A key pair: the public key peers allow-list, and the secret key that stays on its host.
public struct CurveKeyPair: Sendable, Hashable {
    public let publicKey: CurveKey
    public let secretKey: CurveKey

    /// A fresh pair from libzmq (`zmq_curve_keypair`, libsodium's random source).
    public static func generate() throws(CurveKeyError) -> CurveKeyPair {
        try CurveSupport.require()
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicText, &secretText) == 0 else { throw .unavailable }
        return try CurveKeyPair(publicKey: CurveKey(z85: text(publicText)),
                                secretKey: CurveKey(z85: text(secretText)))
    }

    public init(publicKey: CurveKey, secretKey: CurveKey) throws(CurveKeyError) {
        var derived = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&derived, secretKey.z85) == 0 else { throw .unavailable }
        guard text(derived) == publicKey.z85 else {
            throw .malformed(publicKey.z85, reason: "is not the public key of the secret key beside it")
        }
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}

/// A NUL-terminated buffer libzmq filled, as text.
func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Whether this libzmq was built with CURVE (Debian's is, with libsodium).
public enum CurveSupport {
    public static var isAvailable: Bool { zmq_has("curve") == 1 }

    static func require() throws(CurveKeyError) {
        if !isAvailable { throw .unavailable }
    }
}

public enum CurveKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case unavailable
    case malformed(String, reason: String)
    case file(path: String, reason: String)

    public var description: String {
        switch self {
        case .unavailable:
            "this libzmq has no CURVE security (zmq_has(\"curve\") is false); install a libzmq built with libsodium"
        case let .malformed(text, reason):
            "CURVE key \(text.prefix(48).debugDescription) \(reason)"
        case let .file(path, reason):
            "key file \(path): \(reason)"
        }
    }
}

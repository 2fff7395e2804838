import Foundation

/// The JSON body codec: snake_case keys, sorted for deterministic bytes, and decoding errors turned
/// into `ProtocolError.badJSON` naming the snake_case path of the offending field.
public enum WireJSON {
    /// Encodes a plain body. Bodies hold only strings, integers, booleans, finite-or-named doubles
    /// and arrays of them, so encoding cannot fail.
    public static func encode<T: Encodable>(_ value: T) -> Data {
        do {
            return try encoder.encode(value)
        } catch {
            preconditionFailure("wire body \(T.self) failed to encode: \(error)")
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, command: String) throws(ProtocolError) -> T {
        do {
            return try makeDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error, command: command)
        } catch {
            throw .badJSON(command: command, field: "", reason: "\(error)")
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // fps of an instant clip could be infinite; send it as a string rather than fail.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    private static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    private static func describe(_ error: DecodingError, command: String) -> ProtocolError {
        switch error {
        case .keyNotFound(let key, let context):
            return .badJSON(command: command, field: path(context.codingPath + [key]), reason: "missing")
        case .typeMismatch(let type, let context):
            return .badJSON(command: command, field: path(context.codingPath), reason: "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .badJSON(command: command, field: path(context.codingPath), reason: "is null, expected \(typeName(type))")
        case .dataCorrupted(let context):
            let reason = context.underlyingError.map { "not valid JSON (\(($0 as NSError).localizedDescription))" }
                ?? context.debugDescription
            return .badJSON(command: command, field: path(context.codingPath), reason: reason)
        @unknown default:
            return .badJSON(command: command, field: "", reason: "\(error)")
        }
    }

    /// `backendInputs.rendererTypes[1]` → `backend_inputs.renderer_types[1]`.
    static func path(_ keys: [any CodingKey]) -> String {
        var result = ""
        for key in keys {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += (result.isEmpty ? "" : ".") + snakeCase(key.stringValue)
            }
        }
        return result
    }

    /// A property name as the wire spells it: `keepLastNClips` → `keep_last_n_clips`.
    public static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                if !result.isEmpty && !result.hasSuffix("_") { result += "_" }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "a list" : (("\(type)".hasPrefix("Dictionary")) ? "an object" : "\(type)")
        }
    }
}

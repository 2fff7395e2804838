import Foundation

/// Typed, path-aware access to a parsed JSON object, so header errors name the exact field
/// (`shapes[3].radius`) instead of a decoder's coding path.
struct JSONFields {
    let object: [String: Any]
    let path: String

    init(_ object: [String: Any], path: String) {
        self.object = object
        self.path = path
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

    func raw(_ key: String) throws(RolloutError) -> Any {
        guard let value = object[key], !(value is NSNull) else { throw .missingField(field(key)) }
        return value
    }

    func int(_ key: String) throws(RolloutError) -> Int {
        guard let exact = Self.integer(try raw(key)) else { throw .wrongType(field: field(key), expected: "an integer") }
        return exact
    }

    /// A JSON number that is a whole number, as an Int.
    static func integer(_ value: Any) -> Int? {
        guard let number = number(value) else { return nil }
        return Int(exactly: number.doubleValue)
    }

    /// An array of `[x, y, z]` arrays of finite numbers.
    func vec3s(_ key: String) throws(RolloutError) -> [Vec3] {
        guard let array = try raw(key) as? [Any] else { throw .wrongType(field: field(key), expected: "an array") }
        var result: [Vec3] = []
        result.reserveCapacity(array.count)
        for (i, element) in array.enumerated() {
            let entries = element as? [Any] ?? []
            let v = entries.compactMap { Self.number($0)?.doubleValue }
            guard entries.count == 3, v.count == 3, v.allSatisfy(\.isFinite) else {
                throw .wrongType(field: "\(field(key))[\(i)]", expected: "an array of 3 finite numbers")
            }
            result.append(Vec3(v[0], v[1], v[2]))
        }
        return result
    }

    func double(_ key: String) throws(RolloutError) -> Double {
        try Self.finite(raw(key), field: field(key))
    }

    func string(_ key: String) throws(RolloutError) -> String {
        guard let value = try raw(key) as? String else { throw .wrongType(field: field(key), expected: "a string") }
        return value
    }

    func doubles(_ key: String, count: Int) throws(RolloutError) -> [Double] {
        guard let array = try raw(key) as? [Any], array.count == count else {
            throw .wrongType(field: field(key), expected: "an array of \(count) numbers")
        }
        var values: [Double] = []
        for (i, element) in array.enumerated() {
            values.append(try Self.finite(element, field: "\(field(key))[\(i)]"))
        }
        return values
    }

    func vec3(_ key: String) throws(RolloutError) -> Vec3 {
        let v = try doubles(key, count: 3)
        return Vec3(v[0], v[1], v[2])
    }

    func objects(_ key: String) throws(RolloutError) -> [JSONFields] {
        guard let array = try raw(key) as? [Any] else { throw .wrongType(field: field(key), expected: "an array") }
        var result: [JSONFields] = []
        for (i, element) in array.enumerated() {
            guard let object = element as? [String: Any] else {
                throw .wrongType(field: "\(field(key))[\(i)]", expected: "an object")
            }
            result.append(JSONFields(object, path: "\(field(key))[\(i)]"))
        }
        return result
    }

    func object(_ key: String) throws(RolloutError) -> JSONFields {
        guard let object = try raw(key) as? [String: Any] else {
            throw .wrongType(field: field(key), expected: "an object")
        }
        return JSONFields(object, path: field(key))
    }

    private static func finite(_ value: Any, field: String) throws(RolloutError) -> Double {
        guard let number = number(value) else { throw .wrongType(field: field, expected: "a number") }
        let d = number.doubleValue
        guard d.isFinite else { throw .invalidValue(field: field, reason: "is not finite") }
        return d
    }

    /// A JSON number, not a boolean (Foundation parses both as NSNumber; booleans have their own class).
    private static func number(_ value: Any) -> NSNumber? {
        guard let number = value as? NSNumber, !String(describing: type(of: value)).hasSuffix("Boolean") else { return nil }
        return number
    }
}

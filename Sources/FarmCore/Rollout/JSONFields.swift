/// Typed, path-aware access to a parsed JSON object, so header errors name the exact field
/// (`shapes[3].radius`) instead of a decoder's coding path.
struct JSONFields {
    let object: [String: JSONValue]
    /// The path of the array holding this object, and its index there; the path string is made
    /// only when an error names it (a camera track has one object per step).
    private let parent: String
    private let index: Int?

    init(_ object: [String: JSONValue], path: String) {
        self.init(object, parent: path, index: nil)
    }

    private init(_ object: [String: JSONValue], parent: String, index: Int?) {
        self.object = object
        self.parent = parent
        self.index = index
    }

    var path: String { index.map { "\(parent)[\($0)]" } ?? parent }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool {
        guard let value = object[key] else { return false }
        return value != .null
    }

    func raw(_ key: String) throws(RolloutError) -> JSONValue {
        guard let value = object[key], value != .null else { throw .missingField(field(key)) }
        return value
    }

    func int(_ key: String) throws(RolloutError) -> Int {
        guard let exact = Self.integer(try raw(key)) else { throw .wrongType(field: field(key), expected: "an integer") }
        return exact
    }

    /// A JSON number that is a whole number, as an Int.
    static func integer(_ value: JSONValue) -> Int? {
        guard case .number(let number) = value else { return nil }
        return Int(exactly: number)
    }

    func array(_ key: String) throws(RolloutError) -> [JSONValue] {
        guard case .array(let array) = try raw(key) else { throw .wrongType(field: field(key), expected: "an array") }
        return array
    }

    /// An array of `[x, y, z]` arrays of finite numbers.
    func vec3s(_ key: String) throws(RolloutError) -> [Vec3] {
        let array = try array(key)
        var result: [Vec3] = []
        result.reserveCapacity(array.count)
        for (i, element) in array.enumerated() {
            guard case .array(let entries) = element, entries.count == 3,
                  case .number(let x) = entries[0], case .number(let y) = entries[1], case .number(let z) = entries[2],
                  x.isFinite, y.isFinite, z.isFinite else {
                throw .wrongType(field: "\(field(key))[\(i)]", expected: "an array of 3 finite numbers")
            }
            result.append(Vec3(x, y, z))
        }
        return result
    }

    func double(_ key: String) throws(RolloutError) -> Double {
        try Self.finite(raw(key), field: field(key))
    }

    func string(_ key: String) throws(RolloutError) -> String {
        guard case .string(let value) = try raw(key) else { throw .wrongType(field: field(key), expected: "a string") }
        return value
    }

    func doubles(_ key: String, count: Int) throws(RolloutError) -> [Double] {
        guard case .array(let array) = try raw(key), array.count == count else {
            throw .wrongType(field: field(key), expected: "an array of \(count) numbers")
        }
        var values: [Double] = []
        values.reserveCapacity(count)
        for (i, element) in array.enumerated() {
            guard case .number(let number) = element, number.isFinite else {
                // The field's name is made only here: a camera track reads six numbers per step.
                values.append(try Self.finite(element, field: "\(field(key))[\(i)]"))
                continue
            }
            values.append(number)
        }
        return values
    }

    func vec3(_ key: String) throws(RolloutError) -> Vec3 {
        let v = try doubles(key, count: 3)
        return Vec3(v[0], v[1], v[2])
    }

    func objects(_ key: String) throws(RolloutError) -> [JSONFields] {
        let arrayField = field(key)
        var result: [JSONFields] = []
        for (i, element) in try array(key).enumerated() {
            guard case .object(let object) = element else {
                throw .wrongType(field: "\(arrayField)[\(i)]", expected: "an object")
            }
            result.append(JSONFields(object, parent: arrayField, index: i))
        }
        return result
    }

    func object(_ key: String) throws(RolloutError) -> JSONFields {
        guard case .object(let object) = try raw(key) else { throw .wrongType(field: field(key), expected: "an object") }
        return JSONFields(object, path: field(key))
    }

    private static func finite(_ value: JSONValue, field: String) throws(RolloutError) -> Double {
        guard case .number(let number) = value else { throw .wrongType(field: field, expected: "a number") }
        // The parser reads only JSON's number grammar; a literal too big for a Double is infinite.
        guard number.isFinite else { throw .invalidValue(field: field, reason: "is not finite") }
        return number
    }
}

import Foundation
import Yams

/// A node of a config file with the key path that reached it, so every complaint says where.
/// Mappings are strict: unknown and repeated keys are refused, since a typo would otherwise be
/// silently ignored.
struct YAMLValue {
    let node: Node
    let file: String
    let path: String

    static func parse(_ text: String, file: String) throws(ConfigError) -> YAMLValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .malformedYAML(file: file, reason: "\(error)")
        }
        guard let node else { throw .invalid(file: file, location: "", reason: "the file is empty") }
        return YAMLValue(node: node, file: file, path: "")
    }

    func fail(_ reason: String) -> ConfigError {
        let line = node.mark.map { " (line \($0.line))" } ?? ""
        return .invalid(file: file, location: (path.isEmpty ? "top level" : path) + line, reason: reason)
    }

    private func child(_ node: Node, _ component: String) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? component : "\(path).\(component)")
    }

    /// The mapping's entries; keys outside `allowed` and repeated keys are errors.
    func mapping(allowedKeys allowed: Set<String>) throws(ConfigError) -> [String: YAMLValue] {
        guard let mapping = node.mapping else { throw fail("expected a mapping of keys to values") }
        var entries: [String: YAMLValue] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail("keys must be plain strings") }
            guard allowed.contains(name) else {
                throw fail("unknown key '\(name)'; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
            if entries[name] != nil { throw fail("key '\(name)' appears twice") }
            entries[name] = child(value, name)
        }
        return entries
    }

    func sequence() throws(ConfigError) -> [YAMLValue] {
        guard let sequence = node.sequence else { throw fail("expected a list") }
        return sequence.enumerated().map { index, element in
            YAMLValue(node: element, file: file, path: "\(path)[\(index)]")
        }
    }

    func string() throws(ConfigError) -> String {
        guard let scalar = node.scalar else { throw fail("expected a string") }
        return scalar.string
    }

    func int() throws(ConfigError) -> Int {
        guard node.scalar != nil, let value = node.int else { throw fail("expected a whole number") }
        return value
    }

    /// Accepts YAML's `.nan` and `.inf` so that range checks, not the parser, refuse them by name.
    func double() throws(ConfigError) -> Double {
        guard node.scalar != nil, let value = node.float ?? node.int.map(Double.init) else {
            throw fail("expected a number")
        }
        return value
    }

    func vec3() throws(ConfigError) -> Vec3 {
        let items = try sequence()
        guard items.count == 3 else { throw fail("expected a list of 3 numbers [x, y, z]") }
        return Vec3(try items[0].double(), try items[1].double(), try items[2].double())
    }
}

extension Dictionary where Key == String, Value == YAMLValue {
    func required(_ key: String, in parent: YAMLValue) throws(ConfigError) -> YAMLValue {
        guard let value = self[key] else { throw parent.fail("missing key '\(key)'") }
        return value
    }
}

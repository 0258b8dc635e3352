/// A JSON value, written by hand so that keys keep the order they are
/// given in and numbers print the same on every platform.
package indirect enum JSONValue: Sendable, Equatable {
  /// A string, escaped on output.
  case string(String)
  /// An integer.
  case int(Int)
  /// A number; non-finite values print as `null`.
  case double(Double)
  /// `true` or `false`.
  case bool(Bool)
  /// `null`.
  case null
  /// An array.
  case array([JSONValue])
  /// An object, with keys in order.
  case object([(String, JSONValue)])

  package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    lhs.compact == rhs.compact
  }

  /// The value on one line.
  package var compact: String {
    switch self {
    case .string(let text): return Self.quoted(text)
    case .int(let number): return String(number)
    case .double(let number):
      // Swift prints the shortest text that reads back exactly; JSON has no
      // infinities or NaN.
      return number.isFinite ? String(number) : "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .null: return "null"
    case .array(let values): return "[" + values.map(\.compact).joined(separator: ", ") + "]"
    case .object(let members):
      return "{" + members.map { Self.quoted($0.0) + ": " + $0.1.compact }.joined(separator: ", ") + "}"
    }
  }

  /// The value with one array element, or one object member, per line at
  /// the top level (deeper levels stay on one line).
  package var lines: String { pretty(expandingLevels: 1) + "\n" }

  /// The value indented, with containers up to `levels` deep spread over
  /// several lines and deeper ones kept on one line.
  package func pretty(expandingLevels levels: Int, indent: String = "") -> String {
    let inner = indent + "  "
    switch self {
    case .array(let values) where levels > 0 && !values.isEmpty:
      return "[\n"
        + values.map { inner + $0.pretty(expandingLevels: levels - 1, indent: inner) }.joined(separator: ",\n")
        + "\n" + indent + "]"
    case .object(let members) where levels > 0 && !members.isEmpty:
      return "{\n"
        + members.map { inner + Self.quoted($0.0) + ": " + $0.1.pretty(expandingLevels: levels - 1, indent: inner) }
        .joined(separator: ",\n") + "\n" + indent + "}"
    default:
      return compact
    }
  }

  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case let control where control.value < 0x20:
        let hex = String(control.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}

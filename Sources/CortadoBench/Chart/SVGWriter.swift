/// Accumulates SVG markup, escaping text.
struct SVGWriter {
  private(set) var output = ""

  mutating func raw(_ markup: String) {
    output += markup
    output += "\n"
  }

  mutating func text(
    _ content: String, x: Double, y: Double, size: Int, anchor: String,
    weight: String? = nil, rotate: Int? = nil
  ) {
    let xText = Format.fixed(x, digits: 1)
    let yText = Format.fixed(y, digits: 1)
    var attributes = "x=\"\(xText)\" y=\"\(yText)\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"#222222\""
    if let weight { attributes += " font-weight=\"\(weight)\"" }
    if let rotate { attributes += " transform=\"rotate(\(rotate) \(xText) \(yText))\"" }
    raw("<text \(attributes)>\(Self.escaped(content))</text>")
  }

  static func escaped(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      default: result.append(character)
      }
    }
    return result
  }
}

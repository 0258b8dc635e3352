/// Number formatting that does not depend on the locale (output must be
/// identical on every machine, and parseable).
package enum Format {
  /// `1234567` → `1,234,567`.
  package static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, character) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
      result.append(character)
    }
    return value < 0 ? "-" + result : result
  }

  /// `value` rounded to `digits` decimals, always showing them (`12.50`).
  package static func fixed(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (value.magnitude * scale).rounded()
    guard scaled < 9e15 else { return String(value) }
    let integer = UInt64(scaled)
    let whole = integer / UInt64(scale)
    let fraction = integer % UInt64(scale)
    var text = String(whole)
    if digits > 0 {
      let fractionText = String(fraction)
      text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
    return (value < 0 && integer != 0 ? "-" : "") + text
  }

  /// A ratio as a percentage with two decimals (`0.41234` → `41.23`).
  package static func percent(_ ratio: Double) -> String {
    fixed(ratio * 100, digits: 2)
  }

  /// A short capacity label: `500`, `2k`, `1.5M`.
  package static func compact(_ value: Int) -> String {
    func trim(_ number: Double) -> String {
      let text = fixed(number, digits: 1)
      return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
    if value >= 1_000_000_000 { return trim(Double(value) / 1e9) + "G" }
    if value >= 1_000_000 { return trim(Double(value) / 1e6) + "M" }
    if value >= 10_000 || (value >= 1_000 && value % 100 == 0) { return trim(Double(value) / 1e3) + "k" }
    return String(value)
  }

  /// Operations per second with a unit (`12.3 M`).
  package static func rate(_ opsPerSecond: Double) -> String {
    if opsPerSecond >= 1e9 { return fixed(opsPerSecond / 1e9, digits: 2) + " G" }
    if opsPerSecond >= 1e6 { return fixed(opsPerSecond / 1e6, digits: 2) + " M" }
    if opsPerSecond >= 1e3 { return fixed(opsPerSecond / 1e3, digits: 1) + " k" }
    return fixed(opsPerSecond, digits: 0)
  }
}

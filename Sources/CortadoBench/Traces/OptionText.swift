/// Helpers for parsing option values (`--capacity 1_000, 2k`, spec strings).
extension StringProtocol {
  var trimmingSpaces: String {
    var text = String(self)[...]
    while text.first?.isWhitespace == true { text = text.dropFirst() }
    while text.last?.isWhitespace == true { text = text.dropLast() }
    return String(text)
  }

  var replacingUnderscores: String {
    String(self.filter { $0 != "_" })
  }
}

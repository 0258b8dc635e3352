/// A seeded synthetic trace, parsed from `--synthetic`.
///
/// The syntax is a generator name, optionally followed by `:` and
/// `name=value` pairs separated by commas:
///
/// ```
/// zipf                                   # the built-in defaults
/// zipf:alpha=0.8,keys=1000000,length=5000000
/// scan:hot=5000,scan=20000,period=20000
/// loop:keys=1100
/// shift:alpha=0.99,keys=100000,period=100000,step=10000,seed=7
/// phases:zipf(alpha=0.9,keys=20000)*600k,shift(keys=20000)*600k,loop(keys=3000)*600k
/// ```
///
/// | generator | what it models | parameters (defaults) |
/// |---|---|---|
/// | `zipf` | a skewed, stable popularity (YCSB) | `alpha` 0.99, `keys` 100000, `length` 1000000 |
/// | `scan` | a hot set hit by one-off sequential scans | `hot` 5000, `alpha` 0.8, `scan` 20000, `period` 20000, `length` 1000000 |
/// | `loop` | a cyclic pass over keys, slightly larger than the cache | `keys` 5000, `length` 1000000 |
/// | `shift` | a Zipf hot spot that moves to new keys | `alpha` 0.99, `keys` 100000, `period` 100000, `step` 10000, `length` 1000000 |
///
/// Every generator also takes `seed` (default: the `--seed` option).
///
/// `phases` chains generators, each for its own number of requests (`*N`,
/// with `k`/`m` suffixes), so that a trace's character changes mid-way as
/// real workloads do (a frequency phase, then a recency phase, then a loop).
/// Each phase asks for keys of its own (phase `i`'s keys are offset by
/// `i << 48`), and a phase without `seed=` gets the trace's seed plus its
/// position, so two phases of one generator differ.
package struct SyntheticSpec: Sendable, Equatable, CustomStringConvertible {
  /// The generators.
  package enum Kind: String, CaseIterable, Sendable {
    /// Zipf(`alpha`) over `keys` keys.
    case zipf
    /// `period` requests to a Zipf(`alpha`) hot set of `keys` keys, then a
    /// scan of `scan` keys never seen before, repeated.
    case scan
    /// Keys `0, 1, ..., keys-1, 0, 1, ...`.
    case loop
    /// Zipf(`alpha`) over a window of `keys` keys that moves `step` keys
    /// further every `period` requests: the hottest keys are replaced by
    /// formerly cold ones, and the old hot keys are never asked for again.
    case shift
    /// Generators run one after the other (``SyntheticSpec/phases``).
    case phases

    /// The generators that produce requests themselves (all but `phases`).
    package static var generators: [Kind] { [.zipf, .scan, .loop, .shift] }
  }

  /// The generator.
  package var kind: Kind
  /// The number of requests.
  package var length: Int
  /// The key space: the Zipf range (`zipf`, `shift`), the hot set (`scan`),
  /// or the loop (`loop`).
  package var keys: Int
  /// The Zipf skew.
  package var alpha: Double
  /// The keys per scan (`scan`).
  package var scanLength: Int
  /// Requests between scans (`scan`) or between moves (`shift`).
  package var period: Int
  /// How far the hot spot moves (`shift`).
  package var step: Int
  /// The generator's seed.
  package var seed: UInt64
  /// The phases of a `phases` trace, in order (empty for the others). Their
  /// lengths add up to `length`.
  package var phases: [SyntheticSpec] = []

  /// The offset added to the keys of phase `i` (`i << phaseKeyShift`): far
  /// above any generator's own keys (scans start at 2^40), so phases never
  /// share a key.
  package static let phaseKeyShift: UInt64 = 48

  private init(kind: Kind, length: Int, keys: Int, alpha: Double, scanLength: Int, period: Int, step: Int, seed: UInt64)
  {
    self.kind = kind
    self.length = length
    self.keys = keys
    self.alpha = alpha
    self.scanLength = scanLength
    self.period = period
    self.step = step
    self.seed = seed
  }

  /// The built-in defaults of a generator.
  package static func preset(_ kind: Kind, seed: UInt64 = 1) -> SyntheticSpec {
    switch kind {
    case .zipf:
      return SyntheticSpec(
        kind: kind, length: 1_000_000, keys: 100_000, alpha: 0.99, scanLength: 0, period: 0, step: 0, seed: seed)
    case .scan:
      return SyntheticSpec(
        kind: kind, length: 1_000_000, keys: 5_000, alpha: 0.8, scanLength: 20_000, period: 20_000, step: 0, seed: seed)
    case .loop:
      return SyntheticSpec(
        kind: kind, length: 1_000_000, keys: 5_000, alpha: 0, scanLength: 0, period: 0, step: 0, seed: seed)
    case .shift:
      return SyntheticSpec(
        kind: kind, length: 1_000_000, keys: 100_000, alpha: 0.99, scanLength: 0, period: 100_000, step: 10_000,
        seed: seed)
    case .phases:
      // Zipf, then a moving hot spot, then a loop longer than most caches.
      var phases = [
        preset(.zipf, seed: seed), preset(.shift, seed: seed &+ 1), preset(.loop, seed: seed &+ 2),
      ]
      phases[0].keys = 20_000
      phases[1].keys = 20_000
      phases[1].period = 50_000
      phases[1].step = 5_000
      phases[2].keys = 3_000
      for index in phases.indices { phases[index].length = 600_000 }
      var spec = SyntheticSpec(
        kind: kind, length: 1_800_000, keys: 0, alpha: 0, scanLength: 0, period: 0, step: 0, seed: seed)
      spec.phases = phases
      return spec
    }
  }

  /// Parses a specification; `seed` applies unless the text gives its own.
  package init(parsing text: String, seed: UInt64 = 1) throws(TraceError) {
    let trimmed = text.trimmingSpaces
    let colon = trimmed.firstIndex(of: ":")
    let name = trimmed[..<(colon ?? trimmed.endIndex)].trimmingSpaces.lowercased()
    guard let kind = Kind(rawValue: name) else {
      throw .invalidSyntheticSpec(
        "unknown generator '\(name)'; expected one of: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    if kind == .phases {
      guard let colon else {
        throw .invalidSyntheticSpec("phases needs a list, e.g. phases:zipf(alpha=0.9)*600k,loop(keys=3000)*600k")
      }
      self = try Self.parsingPhases(trimmed[trimmed.index(after: colon)...], seed: seed)
      return
    }
    self = Self.preset(kind, seed: seed)
    guard let colon else { return }
    try setParameters(trimmed[trimmed.index(after: colon)...])
  }

  /// Applies `name=value,…`.
  private mutating func setParameters(_ parameters: Substring) throws(TraceError) {
    for pair in parameters.split(separator: ",", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1)
      guard parts.count == 2 else {
        throw .invalidSyntheticSpec("'\(pair)' is not name=value")
      }
      try set(String(parts[0]).trimmingSpaces.lowercased(), to: String(parts[1]).trimmingSpaces)
    }
  }

  /// Parses `NAME(params)*COUNT,…` (commas inside parentheses belong to the
  /// phase).
  private static func parsingPhases(_ list: Substring, seed: UInt64) throws(TraceError) -> SyntheticSpec {
    var items: [Substring] = []
    var depth = 0
    var start = list.startIndex
    for index in list.indices {
      switch list[index] {
      case "(": depth += 1
      case ")":
        depth -= 1
        if depth < 0 { throw .invalidSyntheticSpec("unbalanced ')' in phases") }
      case "," where depth == 0:
        items.append(list[start..<index])
        start = list.index(after: index)
      default: break
      }
    }
    guard depth == 0 else { throw .invalidSyntheticSpec("unbalanced '(' in phases") }
    items.append(list[start...])
    var phases: [SyntheticSpec] = []
    for item in items.map(\.trimmingSpaces) where !item.isEmpty {
      // The count reads like a capacity: digits with optional k/m/g and `_`.
      guard let star = item.lastIndex(of: "*"),
        case .counts(let counts)? = try? CapacityPlan.parseCounts(String(item[item.index(after: star)...])),
        let count = counts.first, counts.count == 1
      else {
        throw .invalidSyntheticSpec("phase '\(item)' needs a request count: NAME(params)*COUNT, e.g. zipf*500k")
      }
      var body = item[..<star].trimmingSpaces
      var parameters = ""
      if body.hasSuffix(")") {
        guard let open = body.firstIndex(of: "(") else { throw .invalidSyntheticSpec("unbalanced ')' in '\(item)'") }
        parameters = String(body[body.index(after: open)..<body.index(before: body.endIndex)])
        body = String(body[..<open]).trimmingSpaces
      }
      guard let kind = Kind(rawValue: body.lowercased()), kind != .phases else {
        throw .invalidSyntheticSpec(
          "unknown phase generator '\(body)'; expected one of: \(Kind.generators.map(\.rawValue).joined(separator: ", "))"
        )
      }
      var phase = preset(kind, seed: seed &+ UInt64(phases.count))
      try phase.setParameters(Substring(parameters))
      phase.length = count
      phases.append(phase)
    }
    guard !phases.isEmpty else { throw .invalidSyntheticSpec("phases needs at least one phase") }
    // The first phase's seed stands for the trace's (as in the preset), so
    // that the description, which has no seed of its own, parses back.
    var spec = preset(.phases, seed: phases[0].seed)
    spec.phases = phases
    spec.length = phases.reduce(0) { $0 + $1.length }
    return spec
  }

  private static func allowed(_ kind: Kind) -> [String] {
    switch kind {
    case .phases: return []
    case .zipf: return ["alpha", "keys", "length", "seed"]
    case .scan: return ["hot", "keys", "alpha", "scan", "period", "length", "seed"]
    case .loop: return ["keys", "length", "seed"]
    case .shift: return ["alpha", "keys", "period", "step", "length", "seed"]
    }
  }

  private mutating func set(_ name: String, to value: String) throws(TraceError) {
    let allowed = Self.allowed(kind)
    guard allowed.contains(name) else {
      throw .invalidSyntheticSpec(
        "'\(kind.rawValue)' has no parameter '\(name)'; it takes: \(allowed.joined(separator: ", "))")
    }
    func positiveInteger() throws(TraceError) -> Int {
      guard let number = Int(value.replacingUnderscores), number > 0 else {
        throw .invalidSyntheticSpec("\(name) must be a positive integer (got '\(value)')")
      }
      return number
    }
    switch name {
    case "alpha":
      guard let number = Double(value), number >= 0, number.isFinite else {
        throw .invalidSyntheticSpec("alpha must be a number ≥ 0 (got '\(value)')")
      }
      alpha = number
    case "keys", "hot": keys = try positiveInteger()
    case "length": length = try positiveInteger()
    case "scan": scanLength = try positiveInteger()
    case "period": period = try positiveInteger()
    case "step": step = try positiveInteger()
    case "seed":
      guard let number = UInt64(value.replacingUnderscores) else {
        throw .invalidSyntheticSpec("seed must be a non-negative integer (got '\(value)')")
      }
      seed = number
    default:
      break
    }
  }

  /// The capacities simulated when none are given: sizes where this
  /// generator's policies differ.
  package var defaultCapacities: [Int] {
    switch kind {
    case .phases:
      return Array(Set(phases.flatMap(\.defaultCapacities))).sorted()
    case .zipf, .shift:
      return [keys / 200, keys / 100, keys / 50, keys / 20, keys / 10, keys / 5].map { max(1, $0) }
    case .scan:
      return [1, 2, 3, 4, 5, 6].map { max(1, keys * $0 / 5) }
    case .loop:
      return [20, 40, 60, 80, 90, 98].map { max(1, keys * $0 / 100) }
    }
  }

  /// The canonical text of the specification, with every parameter.
  package var description: String {
    if kind == .phases {
      return "phases:" + phases.map { "\($0.kind.rawValue)(\($0.parameterText()))*\($0.length)" }.joined(separator: ",")
    }
    return "\(kind.rawValue):" + parameterText(includingLength: true)
  }

  /// The parameters as `name=value,…`.
  private func parameterText(includingLength: Bool = false) -> String {
    var parts: [String] = []
    switch kind {
    case .phases:
      break
    case .zipf:
      parts = ["alpha=\(alpha)", "keys=\(keys)"]
    case .scan:
      parts = ["hot=\(keys)", "alpha=\(alpha)", "scan=\(scanLength)", "period=\(period)"]
    case .loop:
      parts = ["keys=\(keys)"]
    case .shift:
      parts = ["alpha=\(alpha)", "keys=\(keys)", "period=\(period)", "step=\(step)"]
    }
    if includingLength { parts.append("length=\(length)") }
    parts.append("seed=\(seed)")
    return parts.joined(separator: ",")
  }

  /// A reader that generates the trace.
  package func makeReader() -> SyntheticTraceReader {
    SyntheticTraceReader(spec: self)
  }
}

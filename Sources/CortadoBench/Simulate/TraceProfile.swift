/// What a first pass over a trace learns: its length, its distinct keys, and
/// (when the optimum is asked for) every request's next use.
struct TraceProfile {
  var requests = 0
  var distinctKeys = 0
  /// The total size of the distinct objects (each counted at its first size).
  var distinctCost = 0
  var nextUse: NextUseTable?

  /// Reads `source` once, up to `limit` requests.
  static func measure(
    _ source: TraceSource, limit: Int?, buildNextUse: Bool, progress: ProgressBar
  ) throws -> TraceProfile {
    let reader = try source.makeReader()
    let cap = limit ?? Int.max
    var profile = TraceProfile()
    if buildNextUse {
      var builder = NextUseTable.Builder(expectedCount: source.knownLength.map { min($0, cap) })
      while profile.requests < cap, let request = try reader.next() {
        guard profile.requests < NextUseTable.maximumLength else {
          throw SimulationError.traceTooLongForOptimal(profile.requests)
        }
        if builder.append(request.key) { profile.distinctCost += Int(request.size) }
        profile.requests += 1
        if profile.requests & 0xFFFF == 0 { progress.update(fraction: reader.fractionRead, count: profile.requests) }
      }
      profile.distinctKeys = builder.distinctKeys
      profile.nextUse = NextUseTable(next: builder.next)
    } else {
      var seen = Set<UInt64>()
      while profile.requests < cap, let request = try reader.next() {
        if seen.insert(request.key).inserted { profile.distinctCost += Int(request.size) }
        profile.requests += 1
        if profile.requests & 0xFFFF == 0 { progress.update(fraction: reader.fractionRead, count: profile.requests) }
      }
      profile.distinctKeys = seen.count
    }
    return profile
  }
}

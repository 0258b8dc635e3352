/// For every request of a trace, the position of the next request for the
/// same key: the "oracle" Belady's optimum needs.
///
/// Built in one forward pass (each request fills in its predecessor's
/// entry), so the trace is streamed, never held. Memory: 4 bytes per request
/// (briefly up to 3× while the array grows, when the length is not known in
/// advance: text, CSV, ARC and compressed traces), plus a dictionary of the
/// distinct keys' last positions (about 20–40 bytes per distinct key) while
/// it is built; then each simulated capacity adds one bit per request (see
/// `OptimalReplayer`). A 100-million-request trace at 6 capacities needs
/// about 475 MB. That is the only place the simulator's memory grows with
/// the trace's length: the other policies stream it in constant memory.
package final class NextUseTable: Sendable {
  /// Marks a request whose key is never asked for again.
  package static let never = UInt32.max
  /// The longest trace a table can describe.
  package static let maximumLength = Int(UInt32.max) - 1

  /// `next[i]`: the position of the next request for request `i`'s key, or
  /// ``never``.
  package let next: [UInt32]

  init(next: [UInt32]) { self.next = next }

  /// Builds the table for an in-memory list of keys (for tests and small
  /// traces).
  package convenience init(keys: [UInt64]) {
    var builder = Builder(expectedCount: keys.count)
    for key in keys { builder.append(key) }
    self.init(next: builder.next)
  }

  /// Builds a table incrementally.
  struct Builder {
    private(set) var next: [UInt32] = []
    private var lastSeen: [UInt64: UInt32] = [:]

    init(expectedCount: Int?) {
      if let expectedCount { next.reserveCapacity(expectedCount) }
    }

    var distinctKeys: Int { lastSeen.count }

    /// Records the next request; returns whether its key is new.
    @discardableResult
    mutating func append(_ key: UInt64) -> Bool {
      let position = UInt32(next.count)
      next.append(NextUseTable.never)
      if let previous = lastSeen.updateValue(position, forKey: key) {
        next[Int(previous)] = position
        return false
      }
      return true
    }
  }
}

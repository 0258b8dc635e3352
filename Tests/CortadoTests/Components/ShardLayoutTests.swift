import Testing

@testable import Cortado

/// The shard's header keeps what writers change apart from what lookups on
/// other cores read: a write to a line a reader needs sends that line to the
/// writer's core and back on the reader's next lookup (see `_Shard`).
@Suite("Component: the shard's cache lines")
struct ShardLayoutTests {
  /// The line size the layout separates for: 128 bytes on Apple silicon.
  #if canImport(Darwin) && arch(arm64)
    static let line = 128
  #else
    static let line = 64
  #endif

  func check<Key: Hashable & Sendable, Value: Sendable>(_: _Shard<Key, Value>.Type) throws {
    typealias Shard = _Shard<Key, Value>
    // Written by every drain of the read buffers and every insertion or removal.
    let written: [(String, PartialKeyPath<Shard>)] = [
      ("hitCount", \Shard.hitCount), ("missCount", \Shard.missCount), ("listHeads", \Shard.listHeads),
      ("listTails", \Shard.listTails), ("count", \Shard.count), ("freeHead", \Shard.freeHead),
      ("freshSlots", \Shard.freshSlots),
    ]
    // Read by every shared lookup (`sharedFind`).
    let read: [(String, PartialKeyPath<Shard>)] = [
      ("pairs", \Shard.pairs), ("meta", \Shard.meta), ("index", \Shard.index), ("indexSize", \Shard.indexSize),
      ("timers", \Shard.timers), ("freshness", \Shard.freshness), ("wheelTime", \Shard.wheelTime),
    ]
    for (name, path) in written {
      let offset = try #require(MemoryLayout<Shard>.offset(of: path))
      #expect(offset < 64, "\(name) at \(offset) is outside the written fields' 64 bytes")
    }
    for (name, path) in read {
      let offset = try #require(MemoryLayout<Shard>.offset(of: path))
      #expect(offset >= Self.line, "\(name) at \(offset) shares the written line")
    }
  }

  @Test func writtenAndReadFieldsAreOnDifferentLines() throws {
    try check(_Shard<Int, Int>.self)
    try check(_Shard<String, [Int]>.self)
  }
}

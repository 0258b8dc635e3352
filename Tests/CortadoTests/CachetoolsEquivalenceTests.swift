// Replays golden traces recorded with Python's cachetools 8.0.0 against
// Cortado's `.lru`, `.lfu` and `.fifo` policies, proving that for
// count-bounded caches without a cost function (single stripe, up to 10,000
// entries) Cortado evicts exactly the entries cachetools evicts.
//
// The traces live in `Fixtures/cachetools-<policy>-<maxsize>-<seed>.txt`; they
// are produced by `Fixtures/generate_cachetools_fixtures.py`, which documents
// the file format and how to regenerate them.
//
// For every fixture the test:
// 1. replays each operation and compares every answer: `g` (a read that counts
//    as a use: the subscript), `s` (a write; the keys it evicted, reported to
//    `onRemoval` as `.evicted`, must equal the following `e` line, in order),
//    `d` (`removeValue(forKey:)`) and `c` (`contains`, which must not count
//    as a use);
// 2. checks that no operation other than a write evicts anything, and calls
//    `_checkInvariants()` every 1,000 operations and at the end;
// 3. compares `count` with the `n` line and the final eviction order with the
//    `k` line. Cortado has no API that lists the eviction order, so the test
//    drains the cache: it inserts brand-new keys (negative numbers, never in a
//    trace) one at a time and records which key each insertion evicts.
//    - LRU and FIFO: a new key goes to the back, so every original key leaves
//      before any new one, in eviction order; the victims must equal `k`
//      exactly. (If the cache is not full, the first `maxsize - n`
//      insertions evict nothing.)
//    - LFU: a new key starts with one use, so a plain drain would evict the
//      new keys as soon as the originals with one use are gone, and only that
//      prefix of `k` could be checked. Instead, right after inserting a new
//      key the test reads it `maxUses` times, where `maxUses` is the highest
//      use count among the remaining original keys. The test derives every
//      key's use count from the trace itself (a write of an absent key sets 1,
//      a hit or a rewrite adds 1; removals and evictions forget the key), which
//      is well defined because the trace records cachetools' answers. A
//      boosted new key then has strictly more uses than every original, so the
//      originals leave first, lowest count first and ties least recently used
//      first: the whole `k` line is checked. Reading a new key touches only
//      that key, and each insertion's victim is chosen before the new key
//      enters, so the boosting cannot change the order among the originals.
//
// The first mismatch in a fixture stops its replay (the states have diverged)
// and is reported with the fixture's name and line number.

import Foundation
import Testing

@_spi(Testing) @testable import Cortado

@Suite struct CachetoolsEquivalenceTests {
  /// The fixture files, sorted by name.
  static let fixtureNames: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.path)) ?? []
    return names.filter { $0.hasPrefix("cachetools-") && $0.hasSuffix(".txt") }.sorted()
  }()

  static var fixturesDirectory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
  }

  /// Every policy is covered at every size the generator promises.
  @Test func fixtureSetIsComplete() throws {
    let names = Set(Self.fixtureNames)
    for policy in ["lru", "lfu", "fifo"] {
      for maxsize in [1, 2, 3, 10, 100, 1000, 10000] {
        #expect(
          names.contains("cachetools-\(policy)-\(maxsize)-1.txt"), "missing fixture for \(policy) maxsize \(maxsize)")
      }
    }
  }

  @Test(arguments: CachetoolsEquivalenceTests.fixtureNames)
  func replay(_ name: String) throws {
    let fixture = try Fixture.load(name: name, directory: Self.fixturesDirectory)
    var replayer = try Replayer(fixture)
    replayer.run()
  }
}

// MARK: - The fixture

private struct Fixture {
  enum Operation {
    case get(key: Int, expected: Int?)
    case set(key: Int, value: Int, evicted: [Int])
    case delete(key: Int, expected: Int?)
    case contains(key: Int, expected: Bool)
  }

  let name: String
  let policy: EvictionPolicy
  let maximumCount: Int
  var operations: [(line: Int, operation: Operation)] = []
  var finalCount: (line: Int, value: Int)?
  var finalOrder: (line: Int, keys: [Int])?

  struct ParseError: Error, CustomStringConvertible {
    let description: String
  }

  /// Reads `cachetools-<policy>-<maxsize>-<seed>.txt`.
  static func load(name: String, directory: URL) throws -> Fixture {
    let parts = name.dropLast(4).split(separator: "-")
    guard parts.count == 4, let maxsize = Int(parts[2]) else {
      throw ParseError(description: "\(name): unexpected file name")
    }
    let policy: EvictionPolicy
    switch parts[1] {
    case "lru": policy = .lru
    case "lfu": policy = .lfu
    case "fifo": policy = .fifo
    default: throw ParseError(description: "\(name): unknown policy \(parts[1])")
    }
    var fixture = Fixture(name: name, policy: policy, maximumCount: maxsize)
    let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
    var sawHeader = false
    var lineNumber = 0
    var start = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
      lineNumber += 1
      let line = bytes[start..<end]
      start = end + 1
      guard let tag = line.first else { continue }
      if tag == UInt8(ascii: "#") {
        if String(decoding: line, as: UTF8.self).hasPrefix("# cachetools 8.0.0 ") { sawHeader = true }
        continue
      }
      let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
      func fail(_ message: String) -> ParseError {
        ParseError(description: "\(name):\(lineNumber): \(message): \(String(decoding: line, as: UTF8.self))")
      }
      func int(_ index: Int) throws -> Int {
        guard index < fields.count, let value = parseInt(fields[index]) else { throw fail("expected an integer") }
        return value
      }
      func optionalInt(_ index: Int) throws -> Int? {
        if index < fields.count, fields[index].elementsEqual([UInt8(ascii: "-")]) { return nil }
        return try int(index)
      }
      func ints(from index: Int) throws -> [Int] {
        try (index..<fields.count).map { try int($0) }
      }
      switch fields[0].count == 1 ? fields[0].first! : 0 {
      case UInt8(ascii: "g"):
        guard fields.count == 3 else { throw fail("malformed line") }
        fixture.operations.append((lineNumber, .get(key: try int(1), expected: try optionalInt(2))))
      case UInt8(ascii: "s"):
        guard fields.count == 3 else { throw fail("malformed line") }
        fixture.operations.append((lineNumber, .set(key: try int(1), value: try int(2), evicted: [])))
      case UInt8(ascii: "e"):
        guard fields.count >= 2, case .set(let key, let value, let evicted)? = fixture.operations.last?.operation,
          evicted.isEmpty
        else { throw fail("an `e` line must follow an `s` line") }
        let previousLine = fixture.operations.removeLast().line
        fixture.operations.append((previousLine, .set(key: key, value: value, evicted: try ints(from: 1))))
      case UInt8(ascii: "d"):
        guard fields.count == 3 else { throw fail("malformed line") }
        fixture.operations.append((lineNumber, .delete(key: try int(1), expected: try optionalInt(2))))
      case UInt8(ascii: "c"):
        guard fields.count == 3 else { throw fail("malformed line") }
        fixture.operations.append((lineNumber, .contains(key: try int(1), expected: try int(2) != 0)))
      case UInt8(ascii: "n"):
        fixture.finalCount = (lineNumber, try int(1))
      case UInt8(ascii: "k"):
        fixture.finalOrder = (lineNumber, try ints(from: 1))
      default:
        throw fail("unknown operation")
      }
    }
    guard sawHeader else { throw ParseError(description: "\(name): not generated by cachetools 8.0.0") }
    guard fixture.finalCount != nil, fixture.finalOrder != nil else {
      throw ParseError(description: "\(name): missing the final `n` or `k` line")
    }
    return fixture
  }
}

/// Parses an optionally negative decimal integer from ASCII bytes.
private func parseInt(_ bytes: ArraySlice<UInt8>) -> Int? {
  var index = bytes.startIndex
  var negative = false
  if index < bytes.endIndex && bytes[index] == UInt8(ascii: "-") {
    negative = true
    index += 1
  }
  guard index < bytes.endIndex else { return nil }
  var value = 0
  while index < bytes.endIndex {
    let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
    guard (0...9).contains(digit) else { return nil }
    value = value * 10 + digit
    index += 1
  }
  return negative ? -value : value
}

// MARK: - Replaying

/// Collects the keys the cache reports as evicted, in order.
private final class EvictionLog: @unchecked Sendable {
  private let lock = NSLock()
  private var keys: [Int] = []

  func append(_ key: Int) {
    lock.lock()
    keys.append(key)
    lock.unlock()
  }

  func take() -> [Int] {
    lock.lock()
    defer { lock.unlock() }
    let taken = keys
    keys.removeAll(keepingCapacity: true)
    return taken
  }
}

private struct Mismatch: Error, CustomStringConvertible {
  let description: String
}

private struct Replayer {
  let fixture: Fixture
  let cache: Cache<Int, Int>
  let log = EvictionLog()

  /// What cachetools held, derived from the trace (its recorded answers):
  /// each key's value and use count (the use count matters only for LFU).
  var model: [Int: (value: Int, uses: Int)] = [:]

  init(_ fixture: Fixture) throws {
    self.fixture = fixture
    var configuration = Cache<Int, Int>.Configuration(
      maximumCount: fixture.maximumCount, evictionPolicy: fixture.policy)
    configuration.stripeCount = 1
    configuration.sweepsExpiredEntries = false
    let log = self.log
    configuration.onRemoval = { key, _, reason in
      if reason == .evicted { log.append(key) }
    }
    cache = try Cache(configuration: configuration)
  }

  func mismatch(_ line: Int, _ message: String) -> Mismatch {
    Mismatch(
      description: "\(fixture.name):\(line): \(message) [policy \(fixture.policy), maxsize \(fixture.maximumCount)]")
  }

  /// The keys evicted since the last call (all notifications delivered).
  func evicted() -> [Int] {
    cache.waitForRemovalNotifications()
    return log.take()
  }

  mutating func run() {
    #expect(cache.stripeCount == 1)
    do {
      try replayOperations()
      try checkFinalState()
      try checkEvictionOrder()
    } catch {
      Issue.record("\(error)")
    }
  }

  mutating func replayOperations() throws {
    for (index, (line, operation)) in fixture.operations.enumerated() {
      switch operation {
      case .get(let key, let expected):
        let got = cache[key]
        guard got == expected else {
          throw mismatch(line, "get(\(key)): cachetools returned \(show(expected)), Cortado \(show(got))")
        }
        if expected != nil {
          guard model[key]?.value == expected else { throw mismatch(line, "fixture inconsistent: hit on \(key)") }
          model[key]!.uses += 1
        } else {
          guard model[key] == nil else { throw mismatch(line, "fixture inconsistent: miss on \(key)") }
        }
        try expectNoEviction(line, "get(\(key))")

      case .set(let key, let value, let expectedEvictions):
        cache[key] = value
        let got = evicted()
        guard got == expectedEvictions else {
          let how = Set(got) == Set(expectedEvictions) ? "in another order" : "different keys"
          throw mismatch(
            line, "set(\(key), \(value)) evicted \(got) in Cortado, \(expectedEvictions) in cachetools (\(how))")
        }
        for victim in expectedEvictions {
          guard model.removeValue(forKey: victim) != nil else {
            throw mismatch(line, "fixture inconsistent: evicted \(victim), which was absent")
          }
        }
        if let old = model[key] {
          model[key] = (value, old.uses + 1)
        } else {
          model[key] = (value, 1)
        }
        guard model.count <= fixture.maximumCount else { throw mismatch(line, "fixture inconsistent: over maxsize") }

      case .delete(let key, let expected):
        let got = cache.removeValue(forKey: key)
        guard got == expected else {
          throw mismatch(line, "pop(\(key)): cachetools returned \(show(expected)), Cortado \(show(got))")
        }
        guard model.removeValue(forKey: key)?.value == expected else {
          throw mismatch(line, "fixture inconsistent: pop(\(key))")
        }
        try expectNoEviction(line, "pop(\(key))")

      case .contains(let key, let expected):
        let got = cache.contains(key)
        guard got == expected else {
          throw mismatch(line, "\(key) in cache: cachetools \(expected), Cortado \(got)")
        }
        guard (model[key] != nil) == expected else { throw mismatch(line, "fixture inconsistent: \(key) in cache") }
        try expectNoEviction(line, "contains(\(key))")
      }
      if (index + 1) % 1_000 == 0 { cache._checkInvariants() }
    }
    cache._checkInvariants()
  }

  func expectNoEviction(_ line: Int, _ what: String) throws {
    let got = evicted()
    guard got.isEmpty else { throw mismatch(line, "\(what) evicted \(got) in Cortado; only writes evict") }
  }

  func checkFinalState() throws {
    let (countLine, expectedCount) = fixture.finalCount!
    guard cache.count == expectedCount else {
      throw mismatch(countLine, "final count: cachetools \(expectedCount), Cortado \(cache.count)")
    }
    let (orderLine, order) = fixture.finalOrder!
    guard order.count == expectedCount, Set(order) == Set(model.keys) else {
      throw mismatch(orderLine, "fixture inconsistent: final keys do not match the trace")
    }
    for key in order where !cache.contains(key) {
      throw mismatch(orderLine, "final key \(key) missing from Cortado")
    }
  }

  /// Drains the cache with brand-new keys and checks that the original keys
  /// leave in the order of the `k` line (see the comment at the top).
  func checkEvictionOrder() throws {
    let (line, order) = fixture.finalOrder!
    let originals = Set(order)
    // LFU: a new key read `boost` times has more uses than any original.
    let boost = fixture.policy == .lfu ? (model.values.map(\.uses).max() ?? 0) : 0
    var victims: [Int] = []
    var newKey = -1
    var inserted = 0
    // The first `maximumCount - order.count` insertions fill the free room and
    // evict nothing; after that, each one evicts exactly one original.
    while victims.count < order.count {
      guard inserted < fixture.maximumCount else { break }
      cache[newKey] = 0
      inserted += 1
      let got = evicted()
      guard got.count <= 1 else { throw mismatch(line, "inserting \(newKey) evicted \(got.count) keys: \(got)") }
      if let victim = got.first {
        guard originals.contains(victim) else {
          throw mismatch(
            line,
            "draining: new key \(victim) evicted while originals \(Array(order[victims.count...].prefix(10))) remain; evicted so far \(victims.count) of \(order.count)"
          )
        }
        victims.append(victim)
        let expected = order[victims.count - 1]
        guard victim == expected else {
          throw mismatch(
            line,
            "eviction order differs at position \(victims.count - 1): cachetools evicts \(expected) (uses \(model[expected]!.uses)), Cortado evicted \(victim) (uses \(model[victim]!.uses)); cachetools order around it: \(Array(order[Swift.max(0, victims.count - 4)..<Swift.min(order.count, victims.count + 3)]))"
          )
        }
      } else if inserted > fixture.maximumCount - order.count {
        throw mismatch(line, "draining: inserting \(newKey) into a full cache evicted nothing")
      }
      for _ in 0..<boost {
        guard cache[newKey] == 0 else { throw mismatch(line, "draining: new key \(newKey) vanished") }
      }
      newKey -= 1
    }
    guard victims == order else {
      throw mismatch(line, "draining evicted \(victims.count) of \(order.count) original keys")
    }
    cache._checkInvariants()
    guard cache.count == (order.isEmpty ? 0 : fixture.maximumCount) else {
      throw mismatch(line, "after draining, count is \(cache.count)")
    }
  }
}

private func show(_ value: Int?) -> String {
  value.map(String.init) ?? "nil"
}

import Testing

@testable import Cortado

/// The policy links pack two 29-bit slot numbers, W-TinyLFU's region and its
/// pending hits into 8 bytes (see `_Links`): every field must read back what
/// was stored, whatever the others hold.
@Suite("Component: the packed policy links")
struct LinksTests {
  static let slots: [Int32] = [-1, 0, 1, 12_345, Int32(_Links.slotLimit - 1)]
  static let fields = UInt8(0)...UInt8(_Links.fieldMaximum)

  @Test func everyFieldReadsBackWhatWasStored() {
    for prev in Self.slots {
      for next in Self.slots {
        for field in Self.fields {
          var links = _Links()
          links.region = field
          links.pendingHits = UInt8(_Links.fieldMaximum) - field
          links.prev = prev
          links.next = next
          #expect(links.prev == prev && links.next == next)
          #expect(links.region == field && links.pendingHits == UInt8(_Links.fieldMaximum) - field)
          links.region = 0
          links.pendingHits = UInt8(_Links.fieldMaximum)
          #expect(links.prev == prev && links.next == next, "the fields leave the links alone")
        }
      }
    }
  }

  @Test func aFieldTooLargeForItsBitsNeverReachesTheLinks() {
    var links = _Links()
    links.prev = 12_345
    links.next = Int32(_Links.slotLimit - 1)
    links.region = .max
    links.pendingHits = .max
    #expect(links.prev == 12_345 && links.next == Int32(_Links.slotLimit - 1))
    #expect(Int(links.region) == _Links.fieldMaximum && Int(links.pendingHits) == _Links.fieldMaximum)
  }

  @Test func aNewNodeIsUnlinkedInTheWindowWithNoHits() {
    let links = _Links()
    #expect(links.prev == -1 && links.next == -1)
    #expect(links.region == 0 && links.pendingHits == 0)
  }

  @Test func sizesAreWhatTheMemoryBudgetCounts() {
    #expect(MemoryLayout<_Links>.size == 8)
    #expect(MemoryLayout<_Meta>.size == 16, "the window stamp fills the record's padding")
    #expect(_Links.slotLimit == 1 << 28)
    #expect(_Shard<Int, Int>.absoluteSlotLimit <= _Links.slotLimit)
    #expect(Int(_TinyLFUConstants.pendingHitsFlushThreshold) <= _Links.fieldMaximum + 1)
  }
}

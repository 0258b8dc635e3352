// A hierarchical timer wheel per shard: O(1) to schedule, reschedule and
// cancel a deadline, amortised O(1) to find what has expired, no heap and no
// scan of live entries.
//
// Levels (tick = bucket width, span = the aligned block a level covers):
//
//   level  buckets  tick          span
//   0      64       2^24 ns ≈ 16.8 ms   2^30 ns ≈ 1.07 s
//   1      64       ≈ 1.07 s      ≈ 1.15 min
//   2      64       ≈ 1.15 min    ≈ 1.22 h
//   3      32       ≈ 1.22 h      ≈ 1.63 days
//   4      16       ≈ 1.63 days   ≈ 26 days
//   overflow (one list) beyond that, re-examined every 26 days.
//
// A node sits at the lowest level whose *span block* also contains the wheel's
// current time, in the bucket of its deadline's tick. So every bucket holds
// the deadlines of exactly one tick, and advancing the wheel only has to look
// at the buckets whose tick has passed (moved whole to the due list) and the
// one bucket per level whose tick has just begun (its nodes move down a level).
//
// Exactness: the "due list" holds every node whose deadline is at or before
// the wheel's time. Level-0 buckets are 16.8 ms wide, so the bucket of the
// current tick may hold both due and live nodes; it is sorted by deadline
// (lazily, once per tick, and only when something needs an exact answer) and
// its due head moved to the due list. Hence `count`, eviction ("expired
// before live") and `removeExpired()` are exact to the nanosecond, while a
// read checks its own entry's deadline directly.
//
// Memory: one `_TimerLink` (8 bytes) per node plus 242 sentinels per shard;
// the deadline itself lives in the node's `_Meta`, which a lookup reads anyway.

@usableFromInline
enum _Wheel {
  /// log2 of level 0's tick in nanoseconds (2^24 ns ≈ 16.8 ms): fine enough
  /// that a sorted level-0 bucket holds few entries, coarse enough that a
  /// stream of reads rarely crosses a tick (crossing one costs a wheel
  /// advance under the lock).
  @inlinable static var tickShift: Int64 { 24 }
  /// Buckets of level 0, one bit each in `sortedBuckets` (a `UInt64`).
  @inlinable static var levelZeroBuckets: Int { 64 }
  @usableFromInline static let levels = 5
  @usableFromInline static let overflow = 240
  @usableFromInline static let due = 241
  @usableFromInline static let sentinelCount = 242

  /// log2 of the tick of `level` (level 5 = the span of level 4).
  @inlinable @inline(__always)
  static func shift(_ level: Int) -> Int64 {
    switch level {
    case 0: return tickShift
    case 1: return 30
    case 2: return 36
    case 3: return 42
    case 4: return 47
    default: return 51
    }
  }

  @inlinable @inline(__always)
  static func bucketCount(_ level: Int) -> Int {
    level < 3 ? 64 : (level == 3 ? 32 : 16)
  }

  @inlinable @inline(__always)
  static func offset(_ level: Int) -> Int {
    switch level {
    case 0: return 0
    case 1: return 64
    case 2: return 128
    case 3: return 192
    default: return 224
    }
  }

  /// The sentinel of the bucket for `tick` at `level`.
  @inlinable @inline(__always)
  static func bucket(_ level: Int, tick: Int64) -> Int {
    offset(level) + Int(tick & Int64(bucketCount(level) - 1))
  }
}

extension _Shard {
  @inlinable @inline(__always)
  static func link(_ slot: Int32) -> Int { Int(slot) + _Wheel.sentinelCount }

  /// The effective deadline of `slot` (`never` when it does not expire).
  @inlinable @inline(__always)
  func deadline(of slot: Int32) -> Int64 {
    meta[Int(slot)].deadline
  }

  /// The deadline of the node behind a wheel link (not a sentinel).
  @inlinable @inline(__always)
  func deadline(ofLink link: Int) -> Int64 {
    meta[link - _Wheel.sentinelCount].deadline
  }

  /// Whether plain reads must not see `slot`: expired, or kept stale.
  @inlinable @inline(__always)
  func isUnavailable(_ slot: Int32, now: Int64) -> Bool {
    meta[Int(slot)].deadline <= now || meta[Int(slot)].flags & _NodeFlag.stale != 0
  }

  @inlinable @inline(__always)
  func isStale(link: Int) -> Bool {
    meta[link - _Wheel.sentinelCount].flags & _NodeFlag.stale != 0
  }

  /// The sentinel of the bucket a deadline after the wheel's time belongs in.
  @inlinable @inline(__always)
  func wheelBucket(for deadline: Int64) -> Int {
    if deadline <= wheelTime { return _Wheel.due }
    for level in 0..<_Wheel.levels {
      let parent = _Wheel.shift(level + 1)
      if deadline >> parent == wheelTime >> parent {
        return _Wheel.bucket(level, tick: deadline >> _Wheel.shift(level))
      }
    }
    return _Wheel.overflow
  }

  @inlinable
  mutating func timerAppend(_ link: Int, to bucket: Int) {
    let timers = self.timers!
    let tail = Int(timers[bucket].prev)
    if bucket < _Wheel.levelZeroBuckets && tail != bucket && deadline(ofLink: tail) > deadline(ofLink: link) {
      sortedBuckets &= ~(1 &<< UInt64(bucket))
    }
    timers[link].prev = Int32(truncatingIfNeeded: tail)
    timers[link].next = Int32(truncatingIfNeeded: bucket)
    timers[tail].next = Int32(truncatingIfNeeded: link)
    timers[bucket].prev = Int32(truncatingIfNeeded: link)
    if bucket == _Wheel.due && !isStale(link: link) { dueCount += 1 }
  }

  @inlinable
  mutating func timerUnlink(_ link: Int) {
    let timers = self.timers!
    let prev = Int(timers[link].prev)
    guard prev >= 0 else { return }  // not scheduled
    let next = Int(timers[link].next)
    timers[prev].next = Int32(truncatingIfNeeded: next)
    timers[next].prev = Int32(truncatingIfNeeded: prev)
    timers[link].prev = -1
    timers[link].next = -1
    if deadline(ofLink: link) <= wheelTime && !isStale(link: link) { dueCount -= 1 }
  }

  /// Gives `slot` a new effective deadline and moves it to the right bucket.
  @inlinable
  mutating func setDeadline(_ slot: Int32, _ deadline: Int64) {
    let link = _Shard.link(slot)
    timerUnlink(link)
    meta[Int(slot)].deadline = deadline
    if deadline != _Time.never {
      timerAppend(link, to: wheelBucket(for: deadline))
    }
  }

  /// Advances the wheel when a level-0 tick has passed: the cheap, amortised
  /// step taken on reads (which check their own entry's deadline anyway).
  @inlinable @inline(__always)
  mutating func tickWheel(now: Int64) {
    if timers != nil && now >> _Wheel.tickShift != wheelTime >> _Wheel.tickShift {
      advanceWheel(to: now)
    }
  }

  /// Moves every node whose deadline is at or before `now` to the due list.
  @inlinable
  mutating func advanceWheel(to now: Int64) {
    guard timers != nil, now > wheelTime else { return }
    advanceWheelSlow(to: now)
  }

  @usableFromInline
  mutating func advanceWheelSlow(to now: Int64) {
    let old = wheelTime
    wheelTime = now
    // Level 0: ticks that have fully passed are due as a whole.
    if old >> 30 != now >> 30 {
      for bucket in 0..<_Wheel.levelZeroBuckets { moveAllToDue(bucket) }
    } else {
      var tick = old >> _Wheel.tickShift
      while tick < now >> _Wheel.tickShift {
        moveAllToDue(_Wheel.bucket(0, tick: tick))
        tick += 1
      }
    }
    // Higher levels: passed ticks are due; the tick just begun moves down.
    for level in 1..<_Wheel.levels {
      let shift = _Wheel.shift(level)
      let oldTick = old >> shift
      let newTick = now >> shift
      if oldTick == newTick { break }
      let parent = _Wheel.shift(level + 1)
      if old >> parent != now >> parent {
        for index in 0..<_Wheel.bucketCount(level) {
          moveAllToDue(_Wheel.offset(level) + index)
        }
      } else {
        var tick = oldTick + 1
        while tick < newTick {
          moveAllToDue(_Wheel.bucket(level, tick: tick))
          tick += 1
        }
        cascade(_Wheel.bucket(level, tick: newTick))
      }
    }
    if old >> _Wheel.shift(_Wheel.levels) != now >> _Wheel.shift(_Wheel.levels) {
      cascade(_Wheel.overflow)
    }
    // The current level-0 tick: move its due prefix.
    let current = _Wheel.bucket(0, tick: now >> _Wheel.tickShift)
    let timers = self.timers!
    if timers[current].next == Int32(current) { return }
    if sortedBuckets & (1 &<< UInt64(current)) == 0 { sortBucket(current) }
    while true {
      let head = Int(timers[current].next)
      if head == current || deadline(ofLink: head) > now { break }
      moveToDue(head)
    }
  }

  /// Moves one node to the tail of the due list.
  @inlinable
  mutating func moveToDue(_ link: Int) {
    let timers = self.timers!
    let prev = Int(timers[link].prev)
    let next = Int(timers[link].next)
    timers[prev].next = Int32(truncatingIfNeeded: next)
    timers[next].prev = Int32(truncatingIfNeeded: prev)
    let tail = Int(timers[_Wheel.due].prev)
    timers[link].prev = Int32(truncatingIfNeeded: tail)
    timers[link].next = Int32(truncatingIfNeeded: _Wheel.due)
    timers[tail].next = Int32(truncatingIfNeeded: link)
    timers[_Wheel.due].prev = Int32(truncatingIfNeeded: link)
    if !isStale(link: link) { dueCount += 1 }
  }

  /// Splices a whole bucket onto the due list.
  @usableFromInline
  mutating func moveAllToDue(_ bucket: Int) {
    let timers = self.timers!
    let first = Int(timers[bucket].next)
    if first == bucket { return }
    let last = Int(timers[bucket].prev)
    var moved = 0
    var link = first
    while link != bucket {
      if !isStale(link: link) { moved += 1 }
      link = Int(timers[link].next)
    }
    let tail = Int(timers[_Wheel.due].prev)
    timers[tail].next = Int32(truncatingIfNeeded: first)
    timers[first].prev = Int32(truncatingIfNeeded: tail)
    timers[last].next = Int32(truncatingIfNeeded: _Wheel.due)
    timers[_Wheel.due].prev = Int32(truncatingIfNeeded: last)
    timers[bucket].next = Int32(truncatingIfNeeded: bucket)
    timers[bucket].prev = Int32(truncatingIfNeeded: bucket)
    dueCount += moved
    if bucket < 64 { sortedBuckets |= 1 &<< UInt64(bucket) }
  }

  /// Re-files every node of a bucket relative to the wheel's (new) time.
  @usableFromInline
  mutating func cascade(_ bucket: Int) {
    let timers = self.timers!
    var link = Int(timers[bucket].next)
    timers[bucket].next = Int32(truncatingIfNeeded: bucket)
    timers[bucket].prev = Int32(truncatingIfNeeded: bucket)
    if bucket < 64 { sortedBuckets |= 1 &<< UInt64(bucket) }
    while link != bucket {
      let next = Int(timers[link].next)
      timerAppend(link, to: wheelBucket(for: deadline(ofLink: link)))
      link = next
    }
  }

  /// Sorts a level-0 bucket by deadline.
  @usableFromInline
  mutating func sortBucket(_ bucket: Int) {
    let timers = self.timers!
    scratch.removeAll(keepingCapacity: true)
    var link = Int(timers[bucket].next)
    while link != bucket {
      scratch.append(Int32(truncatingIfNeeded: link))
      link = Int(timers[link].next)
    }
    let meta = self.meta
    let sentinels = _Wheel.sentinelCount
    scratch.sort { meta[Int($0) - sentinels].deadline < meta[Int($1) - sentinels].deadline }
    var prev = bucket
    for item in scratch {
      let link = Int(item)
      timers[prev].next = item
      timers[link].prev = Int32(truncatingIfNeeded: prev)
      prev = link
    }
    timers[prev].next = Int32(truncatingIfNeeded: bucket)
    timers[bucket].prev = Int32(truncatingIfNeeded: prev)
    sortedBuckets |= 1 &<< UInt64(bucket)
  }

  /// The first node on the due list, or -1.
  @inlinable @inline(__always)
  func firstDue() -> Int32 {
    guard let timers else { return -1 }
    let first = Int(timers[_Wheel.due].next)
    return first == _Wheel.due ? -1 : Int32(truncatingIfNeeded: first - _Wheel.sentinelCount)
  }

  /// Whether anything is on the due list (expired, or stale at its end).
  @inlinable @inline(__always)
  var hasDue: Bool {
    guard let timers else { return false }
    return Int(timers[_Wheel.due].next) != _Wheel.due
  }
}

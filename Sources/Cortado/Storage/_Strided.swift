/// Typed access to one field of every record in an array of interleaved
/// records: element `i` lives at `base + i * stride`.
///
/// The node arena stores each node's `_Meta` and its key and value side by
/// side in one record, so a hit that checks the hash, the deadline and the key
/// and returns the value touches one record (usually one cache line) instead
/// of two arrays. `subscript` gives in-place access, like a pointer's.
@usableFromInline
struct _Strided<Element> {
  @usableFromInline let base: UnsafeMutableRawPointer
  @usableFromInline let stride: Int
  #if DEBUG || CORTADO_INTERNAL_CHECKS
    /// The number of records, kept only where accesses are checked.
    @usableFromInline let capacity: Int
  #endif

  @inlinable
  init(base: UnsafeMutableRawPointer, stride: Int, capacity: Int) {
    self.base = base
    self.stride = stride
    #if DEBUG || CORTADO_INTERNAL_CHECKS
      self.capacity = capacity
    #endif
  }

  @inlinable @inline(__always)
  func pointer(_ index: Int) -> UnsafeMutablePointer<Element> {
    #if DEBUG || CORTADO_INTERNAL_CHECKS
      // A slot reaching the arena is one of its records (-1 means "none" and
      // must be tested before): debug and fuzzing builds check it.
      precondition(index >= 0 && index < capacity, "Cortado: arena access at slot \(index) of \(capacity)")
    #endif
    return (base + index &* stride).assumingMemoryBound(to: Element.self)
  }

  @inlinable
  subscript(index: Int) -> Element {
    @inline(__always) unsafeAddress { UnsafePointer(pointer(index)) }
    @inline(__always) nonmutating unsafeMutableAddress { pointer(index) }
  }
}

/// The layout of a node record: `_Meta` first, then the key and value.
@usableFromInline
enum _NodeLayout<Key, Value> {
  @inlinable
  static var pairOffset: Int {
    _roundUp(MemoryLayout<_Meta>.size, to: MemoryLayout<_Pair<Key, Value>>.alignment)
  }

  @inlinable
  static var alignment: Int {
    Swift.max(MemoryLayout<_Meta>.alignment, MemoryLayout<_Pair<Key, Value>>.alignment)
  }

  @inlinable
  static var stride: Int {
    _roundUp(pairOffset + MemoryLayout<_Pair<Key, Value>>.size, to: alignment)
  }

  /// Allocates `capacity` records, binding each record's two parts to their types.
  @usableFromInline
  static func allocate(capacity: Int) -> UnsafeMutableRawPointer {
    let memory = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(capacity, 1) * stride, alignment: alignment)
    for index in 0..<capacity {
      let record = memory + index * stride
      record.bindMemory(to: _Meta.self, capacity: 1)
      (record + pairOffset).bindMemory(to: _Pair<Key, Value>.self, capacity: 1)
    }
    return memory
  }
}

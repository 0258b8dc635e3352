// Tuples are not `Hashable`, so a memoized function of several arguments is
// keyed by one of these structs. (Parameter packs would cover every arity,
// but generic types with packs need macOS 14 at run time; Cortado supports
// macOS 13, so arities 2 to 4 are spelled out.)

/// The key of a memoized function without parameters: it has one result.
public struct MemoizationKey0: Hashable, Sendable {
  /// The one key.
  @inlinable
  public init() {}
}

/// The arguments of a two-argument memoized function, as a cache key.
public struct MemoizationKey2<A: Hashable & Sendable, B: Hashable & Sendable>: Hashable, Sendable {
  /// The first argument.
  public var first: A
  /// The second argument.
  public var second: B

  /// Creates a key from the arguments.
  @inlinable
  public init(_ first: A, _ second: B) {
    self.first = first
    self.second = second
  }
}

/// The arguments of a three-argument memoized function, as a cache key.
public struct MemoizationKey3<A: Hashable & Sendable, B: Hashable & Sendable, C: Hashable & Sendable>: Hashable,
  Sendable
{
  /// The first argument.
  public var first: A
  /// The second argument.
  public var second: B
  /// The third argument.
  public var third: C

  /// Creates a key from the arguments.
  @inlinable
  public init(_ first: A, _ second: B, _ third: C) {
    self.first = first
    self.second = second
    self.third = third
  }
}

/// The arguments of a four-argument memoized function, as a cache key.
public struct MemoizationKey4<
  A: Hashable & Sendable, B: Hashable & Sendable, C: Hashable & Sendable, D: Hashable & Sendable
>: Hashable, Sendable {
  /// The first argument.
  public var first: A
  /// The second argument.
  public var second: B
  /// The third argument.
  public var third: C
  /// The fourth argument.
  public var fourth: D

  /// Creates a key from the arguments.
  @inlinable
  public init(_ first: A, _ second: B, _ third: C, _ fourth: D) {
    self.first = first
    self.second = second
    self.third = third
    self.fourth = fourth
  }
}

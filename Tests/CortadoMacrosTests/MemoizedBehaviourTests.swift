#if Macros
  // Behaviour of real `@Memoized` functions: the expanded code compiled by the
  // compiler and run. Swift Testing runs tests in parallel, so each test uses
  // functions (and caches) of its own.

  import CortadoMacros
  import Foundation
  import Testing

  // MARK: - Helpers

  /// Counts calls from any thread.
  final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
  }

  /// Holds async callers until it opens.
  final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = lock.withLock {
          if isOpen { return true }
          waiters.append(continuation)
          return false
        }
        if resumeNow { continuation.resume() }
      }
    }

    func open() {
      let waiting = lock.withLock {
        isOpen = true
        defer { waiters = [] }
        return waiters
      }
      for waiter in waiting { waiter.resume() }
    }
  }

  /// Polls `condition` (every millisecond) until it holds; gives up only once
  /// `timeout` has passed *and* as many polls as that many milliseconds were
  /// made, so a cooperative pool starved by CPU-bound tests stretches the wait
  /// instead of failing it.
  func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    let minimumPolls = Int(timeout / .milliseconds(1))
    var polls = 0
    while polls < minimumPolls || ContinuousClock.now < deadline {
      if condition() { return true }
      polls += 1
      try? await Task.sleep(for: .milliseconds(1))
    }
    return condition()
  }

  struct LookupError: Error, Equatable {
    var id: Int
  }

  // MARK: - Global functions

  let squareCalls = CallCounter()

  @Memoized(maximumCount: 10)
  func square(_ x: Int) -> Int {
    squareCalls.increment()
    return x * x
  }

  let fetchNameCalls = CallCounter()

  @Memoized(maximumCount: 100, timeToLive: .seconds(60))
  func fetchName(id: Int) async throws -> String {
    fetchNameCalls.increment()
    if id < 0 { throw LookupError(id: id) }
    return "user-\(id)"
  }

  let joinCalls = CallCounter()

  @Memoized
  func join(_ first: String, _ second: Int, separator: Character) -> String {
    joinCalls.increment()
    return "\(first)\(separator)\(second)"
  }

  let powerCalls = CallCounter()

  @Memoized(evictionPolicy: .lru)
  func power(base: Int, exponent: Int) async -> Int {
    powerCalls.increment()
    return (0..<exponent).reduce(1) { result, _ in result * base }
  }

  let fibonacciCalls = CallCounter()

  @Memoized(maximumCount: nil)
  func fibonacci(_ n: Int) -> Int {
    fibonacciCalls.increment()
    return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2)
  }

  let answerCalls = CallCounter()

  @Memoized
  func answer() -> Int {
    answerCalls.increment()
    return 42
  }

  struct ParseError: Error, Equatable {
    var text: String
  }

  let parseCalls = CallCounter()

  @Memoized
  func parse(_ text: String) throws(ParseError) -> Int {
    parseCalls.increment()
    guard let value = Int(text) else { throw ParseError(text: text) }
    return value
  }

  let asyncParseCalls = CallCounter()

  @Memoized
  func asyncParse(_ text: String) async throws(ParseError) -> Int {
    asyncParseCalls.increment()
    guard let value = Int(text) else { throw ParseError(text: text) }
    return value
  }

  let freshCalls = CallCounter()

  @Memoized(timeToLive: .milliseconds(500))
  func freshValue(_ key: Int) -> Int {
    freshCalls.increment()
    return key
  }

  let boundedCalls = CallCounter()

  @Memoized(maximumCount: 2, evictionPolicy: .lru)
  func bounded(_ key: Int) -> Int {
    boundedCalls.increment()
    return key
  }

  let stampedeCalls = CallCounter()
  let stampedeGate = Gate()

  @Memoized
  func slowDouble(_ key: Int) async throws -> Int {
    stampedeCalls.increment()
    await stampedeGate.wait()
    return key * 2
  }

  let slowSquareCalls = CallCounter()

  @Memoized
  func slowSquare(_ x: Int) -> Int {
    slowSquareCalls.increment()
    Thread.sleep(forTimeInterval: 0.05)
    return x * x
  }

  let cancelCalls = CallCounter()
  let cancelGate = Gate()

  @Memoized
  func slowLabel(_ key: Int) async -> String {
    cancelCalls.increment()
    if cancelCalls.value == 1 { await cancelGate.wait() }
    return "label-\(key)"
  }

  let mainActorCalls = CallCounter()

  @MainActor
  @Memoized
  func mainActorTriple(_ x: Int) -> Int {
    mainActorCalls.increment()
    return x * 3
  }

  @Memoized
  public func publicIdentity(_ x: Int) -> Int { x }

  // MARK: - Types

  enum MathTables {
    static let factorialCalls = CallCounter()

    @Memoized(maximumCount: 1_000)
    static func factorial(_ n: Int) -> Int {
      factorialCalls.increment()
      return n <= 1 ? 1 : n * factorial(n - 1)
    }
  }

  /// Not `Sendable`: fine for static and synchronous methods.
  final class Catalog {
    static let itemCalls = CallCounter()

    @Memoized
    static func item(_ id: Int) async throws -> String {
      itemCalls.increment()
      return "item-\(id)"
    }

    let prefix: String
    let describeCalls = CallCounter()

    init(prefix: String) { self.prefix = prefix }

    @Memoized
    func describe(_ id: Int) -> String {
      describeCalls.increment()
      return "\(prefix)-\(id)"
    }
  }

  final class PriceList: Sendable {
    let factor: Int
    let priceCalls = CallCounter()

    init(factor: Int) { self.factor = factor }

    @Memoized(maximumCount: 10)
    func price(of item: Int, quantity: Int) async throws -> Int {
      priceCalls.increment()
      return item * quantity * factor
    }
  }

  actor Repository {
    let name: String
    private(set) var loads = 0

    init(name: String) { self.name = name }

    @Memoized
    func user(_ id: Int) async -> String {
      loads += 1
      return "\(name)-\(id)"
    }

    @Memoized
    func label(_ id: Int) -> String {
      loads += 1
      return "\(name)#\(id)"
    }
  }

  /// A non-final class: `class` methods share one static cache.
  class Shelf {
    static let countCalls = CallCounter()

    @Memoized
    class func count(_ id: Int) -> Int {
      countCalls.increment()
      return id * 10
    }

    @Memoized
    class func name(_ id: Int) async throws -> String {
      "shelf-\(id)"
    }
  }

  final class Bookshelf: Shelf {}

  /// A `Hashable` class: a method declared in an extension cannot have a
  /// stored cache per instance, so its cache is keyed by `self`.
  final class Token: Hashable, Sendable {
    static let describeCalls = CallCounter()
    let id: Int

    init(id: Int) { self.id = id }

    static func == (lhs: Token, rhs: Token) -> Bool { lhs.id == rhs.id }
    func hash(into hasher: inout Hasher) { hasher.combine(id) }
  }

  extension Token {
    @Memoized
    func describe(_ suffix: String = "!") async -> String {
      Self.describeCalls.increment()
      return "token-\(id)\(suffix)"
    }
  }

  actor Counter {
    let step: Int
    let scaleCalls = CallCounter()

    init(step: Int) { self.step = step }

    @Memoized
    nonisolated func scaled(_ x: Int) -> Int {
      scaleCalls.increment()
      return x * step
    }
  }

  @MainActor
  final class ViewModel {
    let titleCalls = CallCounter()

    @Memoized
    func title(_ id: Int) async -> String {
      titleCalls.increment()
      return "title-\(id)"
    }
  }

  final class Box<Element: Hashable & Sendable>: Sendable {
    let element: Element
    let repeatCalls = CallCounter()

    init(_ element: Element) { self.element = element }

    @Memoized
    func repeated(_ count: Int) -> [Element] {
      repeatCalls.increment()
      return Array(repeating: element, count: count)
    }
  }

  struct Point: Hashable, Sendable {
    static let distanceCalls = CallCounter()
    var x: Int
    var y: Int

    @Memoized
    func manhattanDistance(to other: Point) -> Int {
      Self.distanceCalls.increment()
      return abs(x - other.x) + abs(y - other.y)
    }
  }

  extension Point {
    static let scaledCalls = CallCounter()

    @Memoized
    func scaled(by factor: Int) async throws -> Point {
      Self.scaledCalls.increment()
      return Point(x: x * factor, y: y * factor)
    }
  }

  // MARK: - Tests

  @Suite("@Memoized behaviour")
  struct MemoizedBehaviourTests {
    @Test func globalSynchronousFunctionNeedsNoTryAndComputesOnce() {
      #expect(square(3) == 9)
      #expect(square(3) == 9)
      #expect(square(4) == 16)
      #expect(squareCalls.value == 2)
      #expect(squareCache.count == 2)
      #expect(squareCache.statistics.hitCount == 1)
      #expect(squareCache.statistics.missCount == 2)
      squareCache.removeAll()
      #expect(square(3) == 9)
      #expect(squareCalls.value == 3)
    }

    @Test func globalAsyncThrowingFunctionCachesValuesNotFailures() async throws {
      #expect(try await fetchName(id: 1) == "user-1")
      #expect(try await fetchName(id: 1) == "user-1")
      #expect(fetchNameCalls.value == 1)
      await #expect(throws: LookupError(id: -1)) { try await fetchName(id: -1) }
      await #expect(throws: LookupError(id: -1)) { try await fetchName(id: -1) }
      #expect(fetchNameCalls.value == 3)
      #expect(fetchNameCache.count == 1)
      #expect(fetchNameCache.statistics.loadSuccessCount == 1)
      #expect(fetchNameCache.statistics.loadFailureCount == 2)
    }

    @Test func severalParametersAreOneKey() async {
      #expect(join("a", 1, separator: "-") == "a-1")
      #expect(join("a", 1, separator: "-") == "a-1")
      #expect(join("a", 1, separator: "+") == "a+1")
      #expect(join("a", 2, separator: "-") == "a-2")
      #expect(joinCalls.value == 3)
      #expect(joinCache.count == 3)

      #expect(await power(base: 2, exponent: 10) == 1_024)
      #expect(await power(base: 2, exponent: 10) == 1_024)
      #expect(await power(base: 10, exponent: 2) == 100)
      #expect(powerCalls.value == 2)
      let key: MemoizationKey2<Int, Int> = MemoizationKey2(2, 10)
      #expect(powerCache[key] == 1_024)
    }

    @Test func recursiveCallsAreMemoizedAtEveryLevel() {
      #expect(fibonacci(60) == 1_548_008_755_920)
      #expect(fibonacciCalls.value == 61)
      #expect(fibonacciCache.count == 61)
    }

    @Test func functionWithoutParametersComputesOnce() {
      #expect(answer() == 42)
      #expect(answer() == 42)
      #expect(answerCalls.value == 1)
      #expect(answerCache[MemoizationKey0()] == 42)
    }

    @Test func typedThrowsIsKept() async throws {
      #expect(throws: ParseError(text: "x")) { try parse("x") }
      do {
        _ = try parse("y")
      } catch {
        // `error` is a `ParseError`, not `any Error`.
        #expect(error.text == "y")
      }
      #expect(try parse("7") == 7)
      #expect(try parse("7") == 7)
      #expect(parseCalls.value == 3)

      do {
        _ = try await asyncParse("z")
      } catch {
        #expect(error.text == "z")
      }
      #expect(try await asyncParse("8") == 8)
      #expect(try await asyncParse("8") == 8)
      #expect(asyncParseCalls.value == 2)
    }

    @Test func resultsExpireAfterTimeToLive() async throws {
      let start = ContinuousClock.now
      #expect(freshValue(1) == 1)
      #expect(freshValue(1) == 1)
      if ContinuousClock.now - start < .milliseconds(400) {  // not stalled past the lifetime
        #expect(freshCalls.value == 1)
        #expect(freshValueCache.entry(forKey: 1) != nil)
      }
      try await Task.sleep(for: .milliseconds(700))
      #expect(freshValueCache.entry(forKey: 1) == nil)
      #expect(freshValue(1) == 1)
      #expect(freshCalls.value == 2)
    }

    @Test func maximumCountAndPolicyApply() {
      _ = bounded(1)
      _ = bounded(2)
      _ = bounded(1)  // 1 is now the most recent
      _ = bounded(3)  // evicts 2, the least recent
      #expect(boundedCache.count == 2)
      #expect(boundedCache.statistics.evictionCount == 1)
      _ = bounded(1)
      #expect(boundedCalls.value == 3)
      _ = bounded(2)
      #expect(boundedCalls.value == 4)
    }

    @Test func concurrentCallersShareOneCall() async throws {
      let callers = 50
      try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<callers {
          group.addTask { try await slowDouble(21) }
        }
        // Every caller has looked the key up (a miss) and waits for the one call.
        #expect(await eventually { slowDoubleCache.statistics.missCount >= callers })
        try await Task.sleep(for: .milliseconds(20))
        stampedeGate.open()
        for try await value in group {
          #expect(value == 42)
        }
      }
      #expect(stampedeCalls.value == 1)
      #expect(slowDoubleCache.statistics.loadSuccessCount == 1)
    }

    @Test func concurrentSynchronousCallersWaitForOneCall() {
      DispatchQueue.concurrentPerform(iterations: 16) { _ in
        #expect(slowSquare(9) == 81)
      }
      #expect(slowSquareCalls.value == 1)
      #expect(slowSquareCache.statistics.missCount >= 1)
    }

    @Test func nonThrowingAsyncCallerCancelledWhileWaitingComputesItself() async {
      let first = Task { await slowLabel(5) }
      #expect(await eventually { cancelCalls.value == 1 })
      let second = Task { await slowLabel(5) }
      #expect(await eventually { slowLabelCache.statistics.missCount >= 2 })
      try? await Task.sleep(for: .milliseconds(20))
      second.cancel()
      #expect(await second.value == "label-5")
      #expect(cancelCalls.value == 2)
      cancelGate.open()
      #expect(await first.value == "label-5")
    }

    @Test @MainActor func globalActorIsolatedFunction() {
      #expect(mainActorTriple(2) == 6)
      #expect(mainActorTriple(2) == 6)
      #expect(mainActorCalls.value == 1)
      #expect(publicIdentity(1) == 1)
    }

    @Test func staticMethodsShareOneCache() async throws {
      #expect(MathTables.factorial(10) == 3_628_800)
      #expect(MathTables.factorialCalls.value == 10)
      #expect(MathTables.factorial(12) == 479_001_600)
      #expect(MathTables.factorialCalls.value == 12)
      #expect(MathTables.factorialCache.count == 12)

      #expect(try await Catalog.item(1) == "item-1")
      #expect(try await Catalog.item(1) == "item-1")
      #expect(Catalog.itemCalls.value == 1)
      #expect(Catalog.itemCache.count == 1)
    }

    @Test func classInstancesNeverShareResults() async throws {
      let cheap = PriceList(factor: 1)
      let dear = PriceList(factor: 10)
      #expect(try await cheap.price(of: 3, quantity: 2) == 6)
      #expect(try await dear.price(of: 3, quantity: 2) == 60)
      #expect(try await cheap.price(of: 3, quantity: 2) == 6)
      #expect(try await dear.price(of: 3, quantity: 2) == 60)
      #expect(cheap.priceCalls.value == 1)
      #expect(dear.priceCalls.value == 1)
      #expect(cheap.priceCache.count == 1)
      #expect(dear.priceCache.count == 1)
      dear.priceCache.removeAll()
      #expect(try await dear.price(of: 3, quantity: 2) == 60)
      #expect(dear.priceCalls.value == 2)
      #expect(cheap.priceCalls.value == 1)

      let a = Catalog(prefix: "a")
      let b = Catalog(prefix: "b")
      #expect(a.describe(1) == "a-1")
      #expect(b.describe(1) == "b-1")
      #expect(a.describe(1) == "a-1")
      #expect(a.describeCalls.value == 1)
      #expect(b.describeCalls.value == 1)

      let numbers = Box(7)
      let words = Box("w")
      #expect(numbers.repeated(2) == [7, 7])
      #expect(numbers.repeated(2) == [7, 7])
      #expect(words.repeated(1) == ["w"])
      #expect(numbers.repeatCalls.value == 1)
    }

    @Test func actorInstancesNeverShareResults() async {
      let north = Repository(name: "north")
      let south = Repository(name: "south")
      #expect(await north.user(1) == "north-1")
      #expect(await south.user(1) == "south-1")
      #expect(await north.user(1) == "north-1")
      #expect(await north.loads == 1)
      #expect(await south.loads == 1)
      #expect(north.userCache.count == 1)

      #expect(await north.label(2) == "north#2")
      #expect(await north.label(2) == "north#2")
      #expect(await north.loads == 2)
      #expect(north.labelCache.statistics.hitCount == 1)
    }

    @Test func classMethodsOfANonFinalClass() async throws {
      #expect(Shelf.count(1) == 10)
      #expect(Bookshelf.count(1) == 10)  // the subclass shares the static cache
      #expect(Shelf.countCalls.value == 1)
      #expect(try await Bookshelf.name(2) == "shelf-2")
      #expect(Shelf.nameCache.count == 1)
    }

    @Test func classMethodInAnExtensionIsKeyedBySelf() async {
      let first = Token(id: 1)
      let equal = Token(id: 1)
      let other = Token(id: 2)
      #expect(await first.describe() == "token-1!")
      #expect(await equal.describe() == "token-1!")  // equal to `first`: cached
      #expect(await other.describe() == "token-2!")
      #expect(await first.describe("?") == "token-1?")
      #expect(Token.describeCalls.value == 3)
      #expect(Token.describeCache.count == 3)
    }

    @Test func nonisolatedActorMethodNeedsNoAwait() {
      let counter = Counter(step: 3)
      #expect(counter.scaled(2) == 6)
      #expect(counter.scaled(2) == 6)
      #expect(counter.scaleCalls.value == 1)
      #expect(Counter(step: 4).scaled(2) == 8)
    }

    @Test @MainActor func mainActorClassInstanceMethod() async {
      let model = ViewModel()
      #expect(await model.title(1) == "title-1")
      #expect(await model.title(1) == "title-1")
      #expect(model.titleCalls.value == 1)
      #expect(model.titleCache.count == 1)
    }

    @Test func structMethodsAreKeyedBySelf() async throws {
      let origin = Point(x: 0, y: 0)
      let copy = origin
      let other = Point(x: 1, y: 1)
      let target = Point(x: 3, y: 4)
      #expect(origin.manhattanDistance(to: target) == 7)
      #expect(copy.manhattanDistance(to: target) == 7)  // an equal value: cached
      #expect(other.manhattanDistance(to: target) == 5)  // another value: computed
      #expect(Point.distanceCalls.value == 2)
      #expect(Point.manhattanDistanceCache.count == 2)

      #expect(try await other.scaled(by: 2) == Point(x: 2, y: 2))
      #expect(try await other.scaled(by: 2) == Point(x: 2, y: 2))
      #expect(try await origin.scaled(by: 2) == Point(x: 0, y: 0))
      #expect(Point.scaledCalls.value == 2)
    }
  }
#endif

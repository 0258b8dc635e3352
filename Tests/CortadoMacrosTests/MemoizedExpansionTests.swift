#if Macros
  // Expansion tests: what `@Memoized` writes, and what it reports, checked on
  // source text with swift-syntax's `assertMacroExpansion`, whose failures are
  // recorded as Swift Testing issues.

  import CortadoMacrosPlugin
  import SwiftSyntaxMacroExpansion
  import SwiftSyntaxMacros
  import SwiftSyntaxMacrosGenericTestSupport
  import Testing

  private let macroSpecs: [String: MacroSpec] = ["Memoized": MacroSpec(type: MemoizedMacro.self)]

  /// `assertMacroExpansion` reporting to Swift Testing at the caller's line.
  private func assertExpansion(
    _ source: String,
    expandedSource: String,
    diagnostics: [DiagnosticSpec] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    assertMacroExpansion(
      source,
      expandedSource: expandedSource,
      diagnostics: diagnostics,
      macroSpecs: macroSpecs,
      indentationWidth: .spaces(4),
      failureHandler: { failure in
        Issue.record(Comment(rawValue: failure.message), sourceLocation: sourceLocation)
      }
    )
  }

  /// Checks that `source` is reported with exactly `message` at `line`:`column`
  /// and that its body is left as written (so the macro's error is the only one).
  private func assertDiagnostic(
    _ source: String,
    expandedSource: String,
    message: String,
    line: Int,
    column: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    assertExpansion(
      source,
      expandedSource: expandedSource,
      diagnostics: [DiagnosticSpec(message: message, line: line, column: column)],
      sourceLocation: sourceLocation
    )
  }

  @Suite("@Memoized expansion")
  struct MemoizedExpansionTests {
    // MARK: Global functions

    @Test func globalSynchronousFunction() {
      assertExpansion(
        """
        @Memoized(maximumCount: 10)
        func square(_ x: Int) -> Int {
            x * x
        }
        """,
        expandedSource: """
          func square(_ x: Int) -> Int {
              return squareCache.value(forKey: x) {
                  __memoized_square(x)
              }
          }

          /// The cache of `square(_:)`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          let squareCache: Cortado.Cache<Int, Int> = Cortado._memoizationCache(function: "square(_:)", maximumCount: 10)

          /// The body of `square(_:)` as written, which `@Memoized` calls on a miss.
          private func __memoized_square(_ x: Int) -> Int {
              x * x
          }
          """
      )
    }

    @Test func globalAsyncThrowingFunction() {
      assertExpansion(
        """
        /// Fetches a user.
        @Memoized(maximumCount: 100, timeToLive: .seconds(20), evictionPolicy: .lru)
        public func fetchUser(id: Int) async throws -> User {
            try await api.user(id)
        }
        """,
        expandedSource: """
          /// Fetches a user.
          public func fetchUser(id: Int) async throws -> User {
              return try await fetchUserCache.loadValue(forKey: id) { _ in
                  try await __memoized_fetchUser(id: id)
              }
          }

          /// The cache of `fetchUser(id:)`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          public let fetchUserCache: Cortado.Cache<Int, User> = Cortado._memoizationCache(function: "fetchUser(id:)", maximumCount: 100, timeToLive: .seconds(20), evictionPolicy: .lru)

          /// The body of `fetchUser(id:)` as written, which `@Memoized` calls on a miss.
          private func __memoized_fetchUser(id: Int) async throws -> User {
              try await api.user(id)
          }
          """
      )
    }

    @Test func globalAsyncFunctionThatCannotThrow() {
      assertExpansion(
        """
        @Memoized
        func thumbnail(for url: URL) async -> Image {
            await render(url)
        }
        """,
        expandedSource: """
          func thumbnail(for url: URL) async -> Image {
              do {
                  return try await thumbnailCache.loadValue(forKey: url) { _ in
                      await __memoized_thumbnail(for: url)
                  }
              } catch _ {
                  // Cancelled while waiting: this function cannot throw, so it computes without the cache.
                  return await __memoized_thumbnail(for: url)
              }
          }

          /// The cache of `thumbnail(for:)`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          let thumbnailCache: Cortado.Cache<URL, Image> = Cortado._memoizationCache(function: "thumbnail(for:)")

          /// The body of `thumbnail(for:)` as written, which `@Memoized` calls on a miss.
          private func __memoized_thumbnail(for url: URL) async -> Image {
              await render(url)
          }
          """
      )
    }

    @Test func twoParameters() {
      assertExpansion(
        """
        @Memoized(maximumCount: nil)
        func power(base: Int, exponent: Int) throws -> Int {
            try checkedPower(base, exponent)
        }
        """,
        expandedSource: """
          func power(base: Int, exponent: Int) throws -> Int {
              return try powerCache.value(forKey: Cortado.MemoizationKey2(base, exponent)) {
                  try __memoized_power(base: base, exponent: exponent)
              }
          }

          /// The cache of `power(base:exponent:)`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          let powerCache: Cortado.Cache<Cortado.MemoizationKey2<Int, Int>, Int> = Cortado._memoizationCache(function: "power(base:exponent:)", maximumCount: nil)

          /// The body of `power(base:exponent:)` as written, which `@Memoized` calls on a miss.
          private func __memoized_power(base: Int, exponent: Int) throws -> Int {
              try checkedPower(base, exponent)
          }
          """
      )
    }

    @Test func threeParametersWithLabelsAndOwnership() {
      assertExpansion(
        """
        @Memoized
        func route(from start: String, to end: String, _ mode: borrowing Mode) async throws -> Route {
            try await planner.route(start, end, mode)
        }
        """,
        expandedSource: """
          func route(from start: String, to end: String, _ mode: borrowing Mode) async throws -> Route {
              return try await routeCache.loadValue(forKey: Cortado.MemoizationKey3(start, end, mode)) { _ in
                  try await __memoized_route(from: start, to: end, mode)
              }
          }

          /// The cache of `route(from:to:_:)`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          let routeCache: Cortado.Cache<Cortado.MemoizationKey3<String, String, Mode>, Route> = Cortado._memoizationCache(function: "route(from:to:_:)")

          /// The body of `route(from:to:_:)` as written, which `@Memoized` calls on a miss.
          private func __memoized_route(from start: String, to end: String, _ mode: borrowing Mode) async throws -> Route {
              try await planner.route(start, end, mode)
          }
          """
      )
    }

    @Test func noParameters() {
      assertExpansion(
        """
        @Memoized(timeToLive: .seconds(60))
        func loadSettings() throws -> Settings {
            try Settings(contentsOf: path)
        }
        """,
        expandedSource: """
          func loadSettings() throws -> Settings {
              return try loadSettingsCache.value(forKey: Cortado.MemoizationKey0()) {
                  try __memoized_loadSettings()
              }
          }

          /// The cache of `loadSettings()`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          let loadSettingsCache: Cortado.Cache<Cortado.MemoizationKey0, Settings> = Cortado._memoizationCache(function: "loadSettings()", timeToLive: .seconds(60))

          /// The body of `loadSettings()` as written, which `@Memoized` calls on a miss.
          private func __memoized_loadSettings() throws -> Settings {
              try Settings(contentsOf: path)
          }
          """
      )
    }

    @Test func typedThrows() {
      assertExpansion(
        """
        @Memoized
        func parse(_ text: String) throws(ParseError) -> Int {
            try parseInteger(text)
        }
        """,
        expandedSource: """
          func parse(_ text: String) throws(ParseError) -> Int {
              return try parseCache.value(forKey: text) { () throws(ParseError) -> Int in
                  try __memoized_parse(text)
              }
          }

          /// The cache of `parse(_:)`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          let parseCache: Cortado.Cache<String, Int> = Cortado._memoizationCache(function: "parse(_:)")

          /// The body of `parse(_:)` as written, which `@Memoized` calls on a miss.
          private func __memoized_parse(_ text: String) throws(ParseError) -> Int {
              try parseInteger(text)
          }
          """
      )
    }

    @Test func asyncTypedThrows() {
      assertExpansion(
        """
        @Memoized
        func download(_ id: Int) async throws(DownloadError) -> Data {
            try await fetch(id)
        }
        """,
        expandedSource: """
          func download(_ id: Int) async throws(DownloadError) -> Data {
              do {
                  return try await downloadCache.loadValue(forKey: id) { _ in
                      try await __memoized_download(id)
                  }
              } catch let failure as DownloadError {
                  throw failure
              } catch _ {
                  // Cancelled while waiting: this function throws only DownloadError, so it computes without the cache.
                  return try await __memoized_download(id)
              }
          }

          /// The cache of `download(_:)`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          let downloadCache: Cortado.Cache<Int, Data> = Cortado._memoizationCache(function: "download(_:)")

          /// The body of `download(_:)` as written, which `@Memoized` calls on a miss.
          private func __memoized_download(_ id: Int) async throws(DownloadError) -> Data {
              try await fetch(id)
          }
          """
      )
    }

    @Test func otherAttributesStayAndAvailabilityReachesTheCache() {
      assertExpansion(
        """
        @available(macOS 14, *)
        @MainActor
        @Memoized
        func layout(_ width: Int) -> Layout {
            Layout(width: width)
        }
        """,
        expandedSource: """
          @available(macOS 14, *)
          @MainActor
          func layout(_ width: Int) -> Layout {
              return layoutCache.value(forKey: width) {
                  __memoized_layout(width)
              }
          }

          /// The cache of `layout(_:)`, added by `@Memoized`: read its `count`
          /// and `statistics`, or clear it with `removeAll()`.
          @available(macOS 14, *)
          let layoutCache: Cortado.Cache<Int, Layout> = Cortado._memoizationCache(function: "layout(_:)")

          /// The body of `layout(_:)` as written, which `@Memoized` calls on a miss.
          @available(macOS 14, *)
          @MainActor
          private func __memoized_layout(_ width: Int) -> Layout {
              Layout(width: width)
          }
          """
      )
    }

    // MARK: Methods

    @Test func staticMethod() {
      assertExpansion(
        """
        enum Tables {
            @Memoized(maximumCount: 1_000)
            static func factorial(_ n: Int) -> Int {
                n <= 1 ? 1 : n * factorial(n - 1)
            }
        }
        """,
        expandedSource: """
          enum Tables {
              static func factorial(_ n: Int) -> Int {
                  return Self.factorialCache.value(forKey: n) {
                      self.__memoized_factorial(n)
                  }
              }

              /// The cache of `factorial(_:)`, added by `@Memoized`: read its `count`
              /// and `statistics`, or clear it with `removeAll()`.
              nonisolated static let factorialCache: Cortado.Cache<Int, Int> = Cortado._memoizationCache(function: "factorial(_:)", maximumCount: 1_000)

              /// The body of `factorial(_:)` as written, which `@Memoized` calls on a miss.
              private static func __memoized_factorial(_ n: Int) -> Int {
                  n <= 1 ? 1 : n * factorial(n - 1)
              }
          }
          """
      )
    }

    @Test func classMethodBecomesStaticInItsPrivateCopy() {
      assertExpansion(
        """
        class Catalog {
            @Memoized
            open class func item(_ id: Int) async throws -> Item {
                try await store.item(id)
            }
        }
        """,
        expandedSource: """
          class Catalog {
              open class func item(_ id: Int) async throws -> Item {
                  return try await Self.itemCache.loadValue(forKey: id) { _ in
                      try await self.__memoized_item(id)
                  }
              }

              /// The cache of `item(_:)`, added by `@Memoized`: read its `count`
              /// and `statistics`, or clear it with `removeAll()`.
              public nonisolated static let itemCache: Cortado.Cache<Int, Item> = Cortado._memoizationCache(function: "item(_:)")

              /// The body of `item(_:)` as written, which `@Memoized` calls on a miss.
              private static func __memoized_item(_ id: Int) async throws -> Item {
                  try await store.item(id)
              }
          }
          """
      )
    }

    @Test func classInstanceMethodHasACachePerInstance() {
      assertExpansion(
        """
        final class PriceList: Sendable {
            let factor: Int

            @Memoized(maximumCount: 50)
            @discardableResult
            func price(of item: Int, quantity: Int) -> Int {
                let total = item * quantity
                return total * factor
            }
        }
        """,
        expandedSource: """
          final class PriceList: Sendable {
              let factor: Int
              @discardableResult
              func price(of item: Int, quantity: Int) -> Int {
                  return self.priceCache.value(forKey: Cortado.MemoizationKey2(item, quantity)) {
                      self.__memoized_price(of: item, quantity: quantity)
                  }
              }

              /// The cache of `price(of:quantity:)`, added by `@Memoized`: read its `count`
              /// and `statistics`, or clear it with `removeAll()`.
              /// One per instance.
              nonisolated let priceCache: Cortado.Cache<Cortado.MemoizationKey2<Int, Int>, Int> = Cortado._memoizationCache(function: "price(of:quantity:)", maximumCount: 50)

              /// The body of `price(of:quantity:)` as written, which `@Memoized` calls on a miss.
              @discardableResult
              private func __memoized_price(of item: Int, quantity: Int) -> Int {
                  let total = item * quantity
                  return total * factor
              }
          }
          """
      )
    }

    @Test func actorInstanceMethodHasANonisolatedCachePerInstance() {
      assertExpansion(
        """
        actor Repository {
            @Memoized(timeToLive: .seconds(30))
            public func user(_ id: Int) async throws -> User {
                try await database.user(id)
            }
        }
        """,
        expandedSource: """
          actor Repository {
              public func user(_ id: Int) async throws -> User {
                  return try await self.userCache.loadValue(forKey: id) { _ in
                      try await self.__memoized_user(id)
                  }
              }

              /// The cache of `user(_:)`, added by `@Memoized`: read its `count`
              /// and `statistics`, or clear it with `removeAll()`.
              /// One per instance.
              public nonisolated let userCache: Cortado.Cache<Int, User> = Cortado._memoizationCache(function: "user(_:)", timeToLive: .seconds(30))

              /// The body of `user(_:)` as written, which `@Memoized` calls on a miss.
              private func __memoized_user(_ id: Int) async throws -> User {
                  try await database.user(id)
              }
          }
          """
      )
    }

    @Test func structMethodIsKeyedBySelf() {
      assertExpansion(
        """
        struct Point: Hashable, Sendable {
            var x: Int
            var y: Int

            @Memoized
            func distance(to other: Point) -> Double {
                hypot(Double(x - other.x), Double(y - other.y))
            }
        }
        """,
        expandedSource: """
          struct Point: Hashable, Sendable {
              var x: Int
              var y: Int
              func distance(to other: Point) -> Double {
                  return Self.distanceCache.value(forKey: Cortado.MemoizationKey2(self, other)) {
                      self.__memoized_distance(to: other)
                  }
              }

              /// The cache of `distance(to:)`, added by `@Memoized`: read its `count`
              /// and `statistics`, or clear it with `removeAll()`.
              /// Shared by equal values: keyed by `self` and the arguments.
              nonisolated static let distanceCache: Cortado.Cache<Cortado.MemoizationKey2<Point, Point>, Double> = Cortado._memoizationCache(function: "distance(to:)")

              /// The body of `distance(to:)` as written, which `@Memoized` calls on a miss.
              private func __memoized_distance(to other: Point) -> Double {
                  hypot(Double(x - other.x), Double(y - other.y))
              }
          }
          """
      )
    }

    @Test func methodInAnExtensionIsKeyedBySelf() {
      assertExpansion(
        """
        extension Matrix {
            @Memoized
            func determinant() async -> Double {
                await compute()
            }
        }
        """,
        expandedSource: """
          extension Matrix {
              func determinant() async -> Double {
                  do {
                      return try await Self.determinantCache.loadValue(forKey: self) { _ in
                          await self.__memoized_determinant()
                      }
                  } catch _ {
                      // Cancelled while waiting: this function cannot throw, so it computes without the cache.
                      return await self.__memoized_determinant()
                  }
              }

              /// The cache of `determinant()`, added by `@Memoized`: read its `count`
              /// and `statistics`, or clear it with `removeAll()`.
              /// Shared by equal values: keyed by `self` and the arguments.
              nonisolated static let determinantCache: Cortado.Cache<Matrix, Double> = Cortado._memoizationCache(function: "determinant()")

              /// The body of `determinant()` as written, which `@Memoized` calls on a miss.
              private func __memoized_determinant() async -> Double {
                  await compute()
              }
          }
          """
      )
    }

    @Test func selfAndFourParametersNestTheKey() {
      assertExpansion(
        """
        enum Shape: Hashable {
            case square

            @Memoized
            func area(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Int {
                a + b + c + d
            }
        }
        """,
        expandedSource: """
          enum Shape: Hashable {
              case square
              func area(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Int {
                  return Self.areaCache.value(forKey: Cortado.MemoizationKey2(self, Cortado.MemoizationKey4(a, b, c, d))) {
                      self.__memoized_area(a, b, c, d)
                  }
              }

              /// The cache of `area(_:_:_:_:)`, added by `@Memoized`: read its `count`
              /// and `statistics`, or clear it with `removeAll()`.
              /// Shared by equal values: keyed by `self` and the arguments.
              nonisolated static let areaCache: Cortado.Cache<Cortado.MemoizationKey2<Shape, Cortado.MemoizationKey4<Int, Int, Int, Int>>, Int> = Cortado._memoizationCache(function: "area(_:_:_:_:)")

              /// The body of `area(_:_:_:_:)` as written, which `@Memoized` calls on a miss.
              private func __memoized_area(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Int {
                  a + b + c + d
              }
          }
          """
      )
    }

    @Test func multilineStringsInTheBodyAreKeptAsWritten() {
      // The copied body moves left by the method's indentation, except inside
      // string literals: the lines of a multi-line string keep their
      // indentation relative to its closing delimiter, so its value is unchanged.
      assertExpansion(
        """
        final class Greeter: Sendable {
            @Memoized
            func greeting(_ name: String) -> String {
                \"\"\"
                  Hello,
                  \\(name)
                \"\"\"
            }
        }
        """,
        expandedSource: """
          final class Greeter: Sendable {
              func greeting(_ name: String) -> String {
                  return self.greetingCache.value(forKey: name) {
                      self.__memoized_greeting(name)
                  }
              }

              /// The cache of `greeting(_:)`, added by `@Memoized`: read its `count`
              /// and `statistics`, or clear it with `removeAll()`.
              /// One per instance.
              nonisolated let greetingCache: Cortado.Cache<String, String> = Cortado._memoizationCache(function: "greeting(_:)")

              /// The body of `greeting(_:)` as written, which `@Memoized` calls on a miss.
              private func __memoized_greeting(_ name: String) -> String {
                  \"\"\"
                        Hello,
                        \\(name)
                      \"\"\"
              }
          }
          """
      )
    }
  }
#endif

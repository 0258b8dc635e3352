#if Macros
  // Every error `@Memoized` reports: where, and with what message. On an error
  // the macro adds no peer and keeps the body as written, so the compiler
  // reports nothing else.

  import CortadoMacrosPlugin
  import SwiftSyntaxMacroExpansion
  import SwiftSyntaxMacros
  import SwiftSyntaxMacrosGenericTestSupport
  import Testing

  private let macroSpecs: [String: MacroSpec] = ["Memoized": MacroSpec(type: MemoizedMacro.self)]

  /// Expands `source` and expects exactly the errors `expected`, as
  /// (line, column, message), and the source `expandedSource`.
  private func assertRejected(
    _ source: String,
    expandedSource: String,
    _ expected: [(line: Int, column: Int, message: String)],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    assertMacroExpansion(
      source,
      expandedSource: expandedSource,
      diagnostics: expected.map { DiagnosticSpec(message: $0.message, line: $0.line, column: $0.column) },
      macroSpecs: macroSpecs,
      failureHandler: { failure in
        Issue.record(Comment(rawValue: failure.message), sourceLocation: sourceLocation)
      }
    )
  }

  @Suite("@Memoized diagnostics")
  struct MemoizedDiagnosticTests {
    @Test func notAFunction() {
      assertRejected(
        """
        @Memoized
        var total: Int = 0
        """,
        expandedSource: """
          var total: Int = 0
          """,
        [
          (
            1, 1,
            "'@Memoized' can only be attached to a function or method, not to a property; to cache other values, use a 'Cache' directly"
          )
        ]
      )
      assertRejected(
        """
        struct S {
            @Memoized
            init(x: Int) {}
        }
        """,
        expandedSource: """
          struct S {
              init(x: Int) {}
          }
          """,
        [
          (
            2, 5,
            "'@Memoized' can only be attached to a function or method, not to an initializer; to cache other values, use a 'Cache' directly"
          )
        ]
      )
    }

    @Test func operatorFunction() {
      assertRejected(
        """
        struct V: Hashable {
            @Memoized
            static func + (a: V, b: V) -> V {
                a
            }
        }
        """,
        expandedSource: """
          struct V: Hashable {
              static func + (a: V, b: V) -> V {
                  a
              }
          }
          """,
        [
          (
            3, 17,
            "'@Memoized' cannot memoize the operator '+': its cache would need a name derived from it; memoize a named function and call it from the operator"
          )
        ]
      )
    }

    @Test func localFunction() {
      assertRejected(
        """
        func outer() {
            @Memoized
            func inner(_ x: Int) -> Int {
                x
            }
        }
        """,
        expandedSource: """
          func outer() {
              func inner(_ x: Int) -> Int {
                  x
              }
          }
          """,
        [
          (
            3, 10,
            "'@Memoized' cannot memoize the local function 'inner(_:)': its cache would be created anew, empty, at every call of the enclosing function; move it to the file or a type"
          )
        ]
      )
    }

    @Test func protocolRequirement() {
      assertRejected(
        """
        protocol Store {
            @Memoized
            func value(_ key: Int) -> Int
        }
        """,
        expandedSource: """
          protocol Store {
              func value(_ key: Int) -> Int
          }
          """,
        [
          (
            3, 10,
            "'@Memoized' cannot memoize the protocol requirement 'value(_:)': a protocol has no storage for a cache; memoize the method in each conforming type"
          )
        ]
      )
    }

    @Test func missingBody() {
      assertRejected(
        """
        @Memoized
        func value(_ key: Int) -> Int
        """,
        expandedSource: """
          func value(_ key: Int) -> Int
          """,
        [(2, 6, "'@Memoized' needs the body of 'value(_:)' to cache its results; add a body")]
      )
    }

    @Test func genericFunction() {
      assertRejected(
        """
        @Memoized
        func describe<T: Hashable>(_ value: T) -> String {
            "\\(value)"
        }
        """,
        expandedSource: """
          func describe<T: Hashable>(_ value: T) -> String {
              "\\(value)"
          }
          """,
        [
          (
            2, 14,
            "'@Memoized' cannot memoize the generic function 'describe(_:)': its cache holds one key type and one value type; write a non-generic function for each type, or memoize a non-generic function that it calls"
          )
        ]
      )
      assertRejected(
        """
        @Memoized
        func describe(_ value: some Hashable) -> String {
            "\\(value)"
        }
        """,
        expandedSource: """
          func describe(_ value: some Hashable) -> String {
              "\\(value)"
          }
          """,
        [
          (
            2, 24,
            "'@Memoized' cannot memoize 'describe(_:)': the parameter 'value' has an opaque 'some' type, which makes the function generic; use a concrete Hashable type"
          )
        ]
      )
    }

    @Test func inoutVariadicAndUnnamedParameters() {
      assertRejected(
        """
        @Memoized
        func f(_ a: inout Int, b: Int..., _: Int) -> Int {
            a
        }
        """,
        expandedSource: """
          func f(_ a: inout Int, b: Int..., _: Int) -> Int {
              a
          }
          """,
        [
          (
            2, 13,
            "'@Memoized' cannot memoize 'f(_:b:_:)': the 'inout' parameter 'a' would not be changed when a cached result is returned; return the new value instead"
          ),
          (
            2, 30,
            "'@Memoized' cannot memoize 'f(_:b:_:)': the variadic parameter 'b' cannot be a cache key; take an array instead"
          ),
          (
            2, 35,
            "'@Memoized' cannot memoize 'f(_:b:_:)': a parameter named '_' cannot be part of the cache key; give it a name, such as '_ value: Int'"
          ),
        ]
      )
    }

    @Test func tooManyParameters() {
      assertRejected(
        """
        @Memoized
        func f(a: Int, b: Int, c: Int, d: Int, e: Int) -> Int {
            a
        }
        """,
        expandedSource: """
          func f(a: Int, b: Int, c: Int, d: Int, e: Int) -> Int {
              a
          }
          """,
        [
          (
            2, 7,
            "'@Memoized' supports functions of at most 4 parameters, and 'f(a:b:c:d:e:)' has 5; group some of them in a Hashable struct"
          )
        ]
      )
    }

    @Test func noResult() {
      assertRejected(
        """
        @Memoized
        func log(_ message: String) {
            print(message)
        }
        """,
        expandedSource: """
          func log(_ message: String) {
              print(message)
          }
          """,
        [
          (
            2, 6,
            "'@Memoized' cannot memoize 'log(_:)': it returns nothing, so there is nothing to cache; return the value to cache"
          )
        ]
      )
      assertRejected(
        """
        @Memoized
        func log(_ message: String) -> Void {
            print(message)
        }
        """,
        expandedSource: """
          func log(_ message: String) -> Void {
              print(message)
          }
          """,
        [
          (
            2, 29,
            "'@Memoized' cannot memoize 'log(_:)': it returns nothing, so there is nothing to cache; return the value to cache"
          )
        ]
      )
    }

    @Test func opaqueResult() {
      assertRejected(
        """
        @Memoized
        func shape(_ id: Int) -> some Shape {
            Circle()
        }
        """,
        expandedSource: """
          func shape(_ id: Int) -> some Shape {
              Circle()
          }
          """,
        [
          (
            2, 26,
            "'@Memoized' cannot memoize 'shape(_:)': a cache cannot hold an opaque 'some' result; return a concrete type or an existential 'any' type"
          )
        ]
      )
    }

    @Test func rethrowsFunction() {
      assertRejected(
        """
        @Memoized
        func apply(_ x: Int, _ f: (Int) throws -> Int) rethrows -> Int {
            try f(x)
        }
        """,
        expandedSource: """
          func apply(_ x: Int, _ f: (Int) throws -> Int) rethrows -> Int {
              try f(x)
          }
          """,
        [
          (
            2, 48,
            "'@Memoized' cannot memoize the 'rethrows' function 'apply(_:_:)': its closure parameter cannot be a cache key; use 'throws' and Hashable parameters"
          )
        ]
      )
    }

    @Test func inlinableFunction() {
      assertRejected(
        """
        @inlinable
        @Memoized
        public func f(_ x: Int) -> Int {
            x
        }
        """,
        expandedSource: """
          @inlinable
          public func f(_ x: Int) -> Int {
              x
          }
          """,
        [
          (
            1, 1,
            "'@Memoized' cannot memoize the '@inlinable' function 'f(_:)': its new body uses the private original body, which inlinable code cannot see; remove '@inlinable'"
          )
        ]
      )
    }

    @Test func mutatingMethod() {
      assertRejected(
        """
        struct Counter: Hashable {
            var count = 0
            @Memoized
            mutating func next(_ step: Int) -> Int {
                count += step
                return count
            }
        }
        """,
        expandedSource: """
          struct Counter: Hashable {
              var count = 0
              mutating func next(_ step: Int) -> Int {
                  count += step
                  return count
              }
          }
          """,
        [
          (
            4, 5,
            "'@Memoized' cannot memoize the 'mutating' method 'next(_:)': a cached result would skip its changes to 'self'; make it non-mutating"
          )
        ]
      )
    }

    @Test func staticMethodOfAGenericType() {
      assertRejected(
        """
        enum Table<Element> {
            @Memoized
            static func size(_ n: Int) -> Int {
                n
            }
        }
        """,
        expandedSource: """
          enum Table<Element> {
              static func size(_ n: Int) -> Int {
                  n
              }
          }
          """,
        [
          (
            3, 5,
            "'@Memoized' cannot memoize the static method 'size(_:)' of the generic type 'Table': Swift has no static stored properties in generic types, so there is nowhere to keep its cache; memoize a global function that it calls"
          )
        ]
      )
    }

    @Test func methodOfAGenericValueType() {
      assertRejected(
        """
        struct Wrapper<Value: Hashable>: Hashable {
            var value: Value
            @Memoized
            func describe(_ n: Int) -> String {
                "\\(value)\\(n)"
            }
        }
        """,
        expandedSource: """
          struct Wrapper<Value: Hashable>: Hashable {
              var value: Value
              func describe(_ n: Int) -> String {
                  "\\(value)\\(n)"
              }
          }
          """,
        [
          (
            4, 10,
            "'@Memoized' cannot memoize the method 'describe(_:)' of the generic type 'Wrapper': a struct or enum keeps the cache of its methods in a static stored property, keyed by 'self', and Swift has none in generic types; memoize a global function that takes 'self' as a parameter"
          )
        ]
      )
    }

    @Test func invalidLiteralArguments() {
      assertRejected(
        """
        @Memoized(maximumCount: -1, timeToLive: .seconds(0))
        func f(_ x: Int) -> Int {
            x
        }
        """,
        expandedSource: """
          func f(_ x: Int) -> Int {
              x
          }
          """,
        [
          (1, 25, "'maximumCount' must not be negative; use nil for no limit"),
          (1, 41, "'timeToLive' must be positive; use nil to keep results until they are evicted"),
        ]
      )
      assertRejected(
        """
        @Memoized(timeToLive: .zero)
        func f(_ x: Int) -> Int {
            x
        }
        """,
        expandedSource: """
          func f(_ x: Int) -> Int {
              x
          }
          """,
        [(1, 23, "'timeToLive' must be positive; use nil to keep results until they are evicted")]
      )
      assertRejected(
        """
        @Memoized(timeToLive: Duration.milliseconds(-5))
        func f(_ x: Int) -> Int {
            x
        }
        """,
        expandedSource: """
          func f(_ x: Int) -> Int {
              x
          }
          """,
        [(1, 23, "'timeToLive' must be positive; use nil to keep results until they are evicted")]
      )
    }
  }
#endif

#if Redis
  import Foundation
  import NIOCore
  import Testing
  @testable import CortadoRedis

  /// Golden wire bytes (from the RESP3 spec and captured from Redis 7.0.15) and the
  /// value each must decode to.
  let goldenCases: [(name: String, wire: String, value: RESPValue)] = [
    ("simple string", "+OK\r\n", .simpleString("OK")),
    ("empty simple string", "+\r\n", .simpleString("")),
    ("simple error", "-ERR unknown command 'FOO'\r\n", .simpleError("ERR unknown command 'FOO'")),
    ("integer zero", ":0\r\n", .integer(0)),
    ("negative integer", ":-42\r\n", .integer(-42)),
    ("plus integer", ":+7\r\n", .integer(7)),
    ("max integer", ":9223372036854775807\r\n", .integer(.max)),
    ("min integer", ":-9223372036854775808\r\n", .integer(.min)),
    ("bulk string", "$5\r\nhello\r\n", .bulk("hello")),
    ("empty bulk", "$0\r\n\r\n", .bulk("")),
    ("bulk with CRLF inside", "$4\r\na\r\nb\r\n", .bulk("a\r\nb")),
    ("RESP2 null bulk", "$-1\r\n", .bulkString(nil)),
    ("RESP2 null array", "*-1\r\n", .array(nil)),
    ("empty array", "*0\r\n", .array([])),
    ("array", "*2\r\n$3\r\nfoo\r\n:1\r\n", .array([.bulk("foo"), .integer(1)])),
    ("null", "_\r\n", .null),
    ("true", "#t\r\n", .boolean(true)),
    ("false", "#f\r\n", .boolean(false)),
    ("double", ",1.5\r\n", .double(1.5)),
    ("negative double", ",-0.25\r\n", .double(-0.25)),
    ("integral double", ",10\r\n", .double(10)),
    ("exponent double", ",1.5e10\r\n", .double(1.5e10)),
    ("inf", ",inf\r\n", .double(.infinity)),
    ("-inf", ",-inf\r\n", .double(-.infinity)),
    (
      "big number", "(3492890328409238509324850943850943825024385\r\n",
      .bigNumber("3492890328409238509324850943850943825024385")
    ),
    ("negative big number", "(-123\r\n", .bigNumber("-123")),
    ("bulk error", "!21\r\nSYNTAX invalid syntax\r\n", .bulkError("SYNTAX invalid syntax")),
    (
      "verbatim string", "=15\r\ntxt:Some string\r\n",
      .verbatimString(format: "txt", text: ByteBuffer(string: "Some string"))
    ),
    (
      "map", "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
      .map([
        RESPMapEntry(key: .simpleString("first"), value: .integer(1)),
        RESPMapEntry(key: .simpleString("second"), value: .integer(2)),
      ])
    ),
    ("empty map", "%0\r\n", .map([])),
    ("set", "~3\r\n+a\r\n+b\r\n+c\r\n", .set([.simpleString("a"), .simpleString("b"), .simpleString("c")])),
    (
      "attribute (spec example)",
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
      .attribute(
        [
          RESPMapEntry(
            key: .simpleString("key-popularity"),
            value: .map([
              RESPMapEntry(key: .bulk("a"), value: .double(0.1923)),
              RESPMapEntry(key: .bulk("b"), value: .double(0.0012)),
            ])
          )
        ],
        .array([.integer(2_039_123), .integer(9_543_892)])
      )
    ),
    (
      "attribute inside an array", "*2\r\n|1\r\n+a\r\n:1\r\n:5\r\n:6\r\n",
      .array([.attribute([RESPMapEntry(key: .simpleString("a"), value: .integer(1))], .integer(5)), .integer(6)])
    ),
    (
      "invalidate push (captured from Redis 7.0.15)", ">2\r\n$10\r\ninvalidate\r\n*1\r\n$5\r\nraw:k\r\n",
      .push([.bulk("invalidate"), .array([.bulk("raw:k")])])
    ),
    ("flush invalidate push", ">2\r\n$10\r\ninvalidate\r\n_\r\n", .push([.bulk("invalidate"), .null])),
    (
      "subscribe confirmation push", ">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n",
      .push([.bulk("subscribe"), .bulk("ch"), .integer(1)])
    ),
    (
      "pub/sub message push", ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\n\u{0}\u{1}\u{2}\r\n",
      .push([.bulk("message"), .bulk("ch"), .bulk(bytes: [0, 1, 2])])
    ),
    (
      "HELLO 3 reply",
      "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:5\r\n"
        + "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n",
      .map([
        RESPMapEntry(key: .bulk("server"), value: .bulk("redis")),
        RESPMapEntry(key: .bulk("version"), value: .bulk("7.0.15")),
        RESPMapEntry(key: .bulk("proto"), value: .integer(3)),
        RESPMapEntry(key: .bulk("id"), value: .integer(5)),
        RESPMapEntry(key: .bulk("mode"), value: .bulk("standalone")),
        RESPMapEntry(key: .bulk("role"), value: .bulk("master")),
        RESPMapEntry(key: .bulk("modules"), value: .array([])),
      ])
    ),
    (
      "nested aggregates", "*3\r\n*2\r\n:1\r\n*1\r\n~1\r\n#t\r\n%1\r\n+k\r\n*0\r\n_\r\n",
      .array([
        .array([.integer(1), .array([.set([.boolean(true)])])]),
        .map([RESPMapEntry(key: .simpleString("k"), value: .array([]))]),
        .null,
      ])
    ),
  ]

  @Suite("RESP decoder")
  struct RESPDecoderTests {
    @Test("golden values decode whole, byte by byte and in random splits", arguments: goldenCases.indices)
    func golden(_ index: Int) {
      let (name, text, value) = goldenCases[index]
      let bytes = wire(text)
      var generator = SeededGenerator(seed: UInt64(index) &+ 1)
      var strategies: [[Int]] = [wholeChunks(bytes), byteChunks(bytes)]
      for _ in 0..<50 { strategies.append(randomChunks(bytes, using: &generator)) }
      for chunks in strategies {
        #expect(decodeAll(bytes, chunks: chunks) == .values([value]), "\(name) with chunks \(chunks)")
      }
      // The canonical encoder writes the same bytes back (where the golden form is
      // the canonical one).
      if !["plus integer", "integral double", "exponent double"].contains(name) {
        #expect(encoded(value) == bytes, "\(name) re-encodes to its golden bytes")
      }
    }

    @Test("nan decodes (nan != nan, so checked apart)")
    func nan() {
      for chunks in [[6], [1, 1, 1, 1, 1, 1]] {
        guard case .values(let values) = decodeAll(wire(",nan\r\n"), chunks: chunks), values.count == 1,
          case .double(let d) = values[0]
        else {
          Issue.record("nan did not decode")
          return
        }
        #expect(d.isNaN)
      }
    }

    @Test("all golden values back to back, in many random splits, decode in order")
    func stream() {
      let bytes = goldenCases.flatMap { wire($0.wire) }
      let expected = goldenCases.map(\.value)
      var generator = SeededGenerator(seed: 42)
      #expect(decodeAll(bytes, chunks: byteChunks(bytes)) == .values(expected))
      for _ in 0..<300 {
        let chunks = randomChunks(bytes, using: &generator)
        #expect(decodeAll(bytes, chunks: chunks) == .values(expected))
      }
    }

    @Test("a partial value returns nil and keeps its place")
    func partial() throws {
      var decoder = RESPDecoder()
      var buffer = ByteBuffer(string: "*2\r\n$3\r\nfo")
      #expect(try decoder.decode(&buffer) == nil)
      #expect(!decoder.isAtValueBoundary)
      buffer.writeString("o\r\n:")
      #expect(try decoder.decode(&buffer) == nil)
      buffer.writeString("7\r\n+next\r\n")
      #expect(try decoder.decode(&buffer) == .array([.bulk("foo"), .integer(7)]))
      #expect(decoder.isAtValueBoundary)
      #expect(try decoder.decode(&buffer) == .simpleString("next"))
      #expect(try decoder.decode(&buffer) == nil)
      #expect(buffer.readableBytes == 0)
    }

    static let malformed: [(name: String, wire: String, limits: RESPDecoder.Limits, error: RESPError)] = [
      ("bad type byte", "?foo\r\n", .init(), .invalidTypeByte(UInt8(ascii: "?"))),
      ("bad type byte alone", "@", .init(), .invalidTypeByte(UInt8(ascii: "@"))),
      ("non-numeric length", "$abc\r\n", .init(), .invalidLength),
      ("empty length", "$\r\n", .init(), .invalidLength),
      ("negative bulk length", "$-2\r\n", .init(), .invalidLength),
      ("negative array length", "*-2\r\n", .init(), .invalidLength),
      ("null map", "%-1\r\n", .init(), .invalidLength),
      ("null push", ">-1\r\n", .init(), .invalidLength),
      ("null bulk error", "!-1\r\n", .init(), .invalidLength),
      ("signed length", "$+3\r\nfoo\r\n", .init(), .invalidLength),
      ("huge length", "$99999999999999999999\r\n", .init(), .invalidLength),
      ("bad integer", ":12a\r\n", .init(), .invalidInteger),
      ("empty integer", ":\r\n", .init(), .invalidInteger),
      ("sign only", ":-\r\n", .init(), .invalidInteger),
      ("integer overflow", ":9223372036854775808\r\n", .init(), .invalidInteger),
      ("integer underflow", ":-9223372036854775809\r\n", .init(), .invalidInteger),
      ("bulk without CRLF", "$3\r\nfooXY", .init(), .missingCRLF),
      ("bulk with LF only", "$3\r\nfoo\n+", .init(), .missingCRLF),
      ("bare LF", "+OK\n", .init(), .missingCRLF),
      ("bare CR", "+O\rK\r\n", .init(), .missingCRLF),
      (
        "overlong line without CRLF", "+" + String(repeating: "a", count: 100), .init(maxLineLength: 32),
        .lineTooLong(limit: 32)
      ),
      (
        "overlong line with CRLF", "+" + String(repeating: "a", count: 100) + "\r\n", .init(maxLineLength: 32),
        .lineTooLong(limit: 32)
      ),
      ("oversized bulk", "$100\r\n", .init(maxBulkLength: 10), .bulkTooLarge(length: 100, limit: 10)),
      ("oversized bulk error", "!11\r\n", .init(maxBulkLength: 10), .bulkTooLarge(length: 11, limit: 10)),
      ("oversized array", "*100\r\n", .init(maxAggregateLength: 10), .aggregateTooLarge(count: 100, limit: 10)),
      ("oversized map", "%6\r\n", .init(maxAggregateLength: 5), .aggregateTooLarge(count: 6, limit: 5)),
      ("oversized push", ">11\r\n", .init(maxAggregateLength: 10), .aggregateTooLarge(count: 11, limit: 10)),
      ("too deep", "*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", .init(maxDepth: 3), .nestingTooDeep(limit: 3)),
      ("too deep via empty", "*1\r\n*1\r\n*1\r\n*0\r\n", .init(maxDepth: 3), .nestingTooDeep(limit: 3)),
      ("too deep via attributes", "|0\r\n|0\r\n|0\r\n|0\r\n:1\r\n", .init(maxDepth: 3), .nestingTooDeep(limit: 3)),
      ("bad double", ",abc\r\n", .init(), .invalidDouble),
      ("hex double", ",0x1p3\r\n", .init(), .invalidDouble),
      ("word double", ",infinity\r\n", .init(), .invalidDouble),
      ("empty double", ",\r\n", .init(), .invalidDouble),
      ("bad boolean", "#x\r\n", .init(), .invalidBoolean),
      ("long boolean", "#tt\r\n", .init(), .invalidBoolean),
      ("null with payload", "_x\r\n", .init(), .invalidNull),
      ("bad big number", "(12a\r\n", .init(), .invalidBigNumber),
      ("empty big number", "(\r\n", .init(), .invalidBigNumber),
      ("short verbatim", "=3\r\ntxt\r\n", .init(), .invalidVerbatimString),
      ("verbatim without colon", "=5\r\ntxtab\r\n", .init(), .invalidVerbatimString),
      ("streamed string", "$?\r\n;4\r\nHell\r\n;0\r\n", .init(), .streamedValuesUnsupported),
      ("streamed array", "*?\r\n:1\r\n.\r\n", .init(), .streamedValuesUnsupported),
      ("bad element inside an array", "*2\r\n:1\r\n?\r\n", .init(), .invalidTypeByte(UInt8(ascii: "?"))),
    ]

    @Test("malformed input gives the precise error, however it is split", arguments: malformed.indices)
    func malformedInput(_ index: Int) {
      let (name, text, limits, error) = Self.malformed[index]
      let bytes = wire(text)
      var generator = SeededGenerator(seed: 1000 + UInt64(index))
      var strategies: [[Int]] = [wholeChunks(bytes), byteChunks(bytes)]
      for _ in 0..<20 { strategies.append(randomChunks(bytes, using: &generator)) }
      for chunks in strategies {
        let outcome = decodeAll(bytes, chunks: chunks, limits: limits)
        guard case .failure(let actual, _) = outcome else {
          Issue.record("\(name): expected \(error), got \(outcome) with chunks \(chunks)")
          continue
        }
        #expect(actual == error, "\(name) with chunks \(chunks)")
      }
    }

    @Test("values exactly at the limits are accepted")
    func atLimits() {
      let limits = RESPDecoder.Limits(maxBulkLength: 3, maxAggregateLength: 2, maxDepth: 3, maxLineLength: 32)
      #expect(decodeAll(wire("$3\r\nfoo\r\n"), chunks: [100], limits: limits) == .values([.bulk("foo")]))
      #expect(
        decodeAll(wire("*2\r\n:1\r\n:2\r\n"), chunks: [100], limits: limits)
          == .values([.array([.integer(1), .integer(2)])]))
      #expect(
        decodeAll(wire("*1\r\n*1\r\n*1\r\n:1\r\n"), chunks: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100], limits: limits)
          == .values([.array([.array([.array([.integer(1)])])])])
      )
      let line = "+" + String(repeating: "a", count: 32) + "\r\n"
      #expect(
        decodeAll(wire(line), chunks: [1, 5, 100], limits: limits)
          == .values([.simpleString(String(repeating: "a", count: 32))]))
    }

    // Defect 11: `maxLineLength: .max` used to overflow on the first reply.
    @Test("limits of .max are clamped to safe maxima and decode normally")
    func unlimitedLimitsAreClamped() {
      let limits = RESPDecoder.Limits(
        maxBulkLength: .max, maxAggregateLength: .max, maxDepth: .max, maxLineLength: .max)
      #expect(limits.maxLineLength == RESPDecoder.Limits.largestLineLength)
      #expect(limits.maxBulkLength == RESPDecoder.Limits.largestBulkLength)
      #expect(limits.maxAggregateLength == RESPDecoder.Limits.largestAggregateLength)
      #expect(limits.maxDepth == RESPDecoder.Limits.largestDepth)
      for (name, text, value) in goldenCases {
        #expect(decodeAll(wire(text), chunks: [1, 3, 1_000], limits: limits) == .values([value]), "\(name)")
      }
      #expect(decodeAll(wire("+OK"), chunks: [3], limits: limits) == .values([]), "incomplete, not a crash")
      #expect(
        decodeAll(wire("$99999999999999999\r\n"), chunks: [100], limits: limits)
          == .failure(
            .bulkTooLarge(length: 99_999_999_999_999_999, limit: RESPDecoder.Limits.largestBulkLength), after: []))
    }

    // Defect 12: a raised maxDepth let a deep reply overflow the stack when the
    // decoded value was released (or compared, or described). The depth is
    // clamped; at the clamp, all of that is safe on a 512 KiB stack.
    @Test("the deepest accepted reply is safe to release, compare and describe on a small stack")
    func deepestReplyIsSafe() {
      let depth = RESPDecoder.Limits.largestDepth
      let text = String(repeating: "*1\r\n", count: depth) + ":1\r\n"
      let limits = RESPDecoder.Limits(maxDepth: .max)
      #expect(
        decodeAll(wire(String(repeating: "*1\r\n", count: depth + 1) + ":1\r\n"), chunks: [1_000_000], limits: limits)
          == .failure(.nestingTooDeep(limit: depth), after: []))
      let finished = Guarded(false)
      let thread = Thread {
        var buffer = ByteBuffer(bytes: wire(text))
        var decoder = RESPDecoder(limits: limits)
        if case .some(.some(let value)) = try? decoder.decode(&buffer) {
          let copy = value
          #expect(String(describing: value).contains("…"), "deep levels are elided")
          #expect(copy == value)
        }
        finished.withLock { $0 = true }
      }
      thread.stackSize = 512 * 1024
      thread.start()
      while !finished.withLock({ $0 }) { usleep(1_000) }
      #expect(finished.withLock { $0 })
    }

    @Test("after an error the decoder keeps failing")
    func staysFailed() {
      var decoder = RESPDecoder()
      var buffer = ByteBuffer(string: "?")
      #expect(throws: RESPError.invalidTypeByte(UInt8(ascii: "?"))) { try decoder.decode(&buffer) }
      var good = ByteBuffer(string: "+OK\r\n")
      #expect(throws: RESPError.invalidTypeByte(UInt8(ascii: "?"))) { try decoder.decode(&good) }
    }

    @Test("a huge announced aggregate does not allocate up front")
    func hostileCount() throws {
      var decoder = RESPDecoder(limits: .init(maxAggregateLength: 1 << 20))
      var buffer = ByteBuffer(string: "*1048576\r\n:1\r\n")
      #expect(try decoder.decode(&buffer) == nil)
      #expect(!decoder.isAtValueBoundary)
    }

    @Test("random and mutated bytes never crash the decoder")
    func fuzz() {
      var generator = SeededGenerator(seed: 7)
      let alphabet = Array("+-:$*_#,(!=%~|>\r\n0123456789-?.abcdeft".utf8)
      let limits = RESPDecoder.Limits(maxBulkLength: 64, maxAggregateLength: 16, maxDepth: 8, maxLineLength: 32)
      let golden = goldenCases.map { wire($0.wire) }
      for round in 0..<5000 {
        var bytes: [UInt8]
        if round % 2 == 0 {
          bytes = (0..<Int.random(in: 0...48, using: &generator)).map { _ in
            Bool.random(using: &generator)
              ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
          }
        } else {
          bytes = golden.randomElement(using: &generator)!
          for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: bytes[position] = alphabet.randomElement(using: &generator)!
            case 1: bytes.remove(at: position)
            default: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
            }
          }
        }
        // Any outcome is fine except a crash; exercise split handling too.
        _ = decodeAll(bytes, chunks: randomChunks(bytes, using: &generator), limits: limits)
      }
    }
  }

  @Suite("RESP encoder")
  struct RESPEncoderTests {
    @Test("commands are arrays of bulk strings")
    func commands() {
      #expect(encoded(RedisCommand("SET", "k", "v")) == wire("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"))
      #expect(encoded(RedisCommand("PING")) == wire("*1\r\n$4\r\nPING\r\n"))
      #expect(
        encoded(RedisCommand("SET", "k", "", "PX", 1500))
          == wire("*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n$2\r\nPX\r\n$4\r\n1500\r\n"))
      let binary = RedisCommand("SET", "k", RedisArgument(bytes: [0, 13, 10, 255]))
      #expect(encoded(binary) == wire("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n") + [0, 13, 10, 255] + wire("\r\n"))
      #expect(
        encoded(RedisCommand("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "app:", "NOLOOP"))
          == wire(
            "*7\r\n$6\r\nCLIENT\r\n$8\r\nTRACKING\r\n$2\r\nON\r\n$5\r\nBCAST\r\n$6\r\nPREFIX\r\n$4\r\napp:\r\n$6\r\nNOLOOP\r\n"
          ))
    }

    @Test("command names are case-insensitive, descriptions never show arguments")
    func names() {
      let command = RedisCommand([RedisArgument("client"), RedisArgument("tracking"), RedisArgument("secret")])
      #expect(command.name == "CLIENT")
      #expect(command.subcommand == "TRACKING")
      #expect(command.description == "CLIENT")
    }

    @Test(
      "a push inside a reply (Redis 7.0: PUBLISH to itself inside MULTI/EXEC) is delivered on its own, before the reply"
    )
    func pushInsideAReplyIsDeliveredOnItsOwn() {
      // Captured from Redis 7.0.15: MULTI, SET, PUBLISH to a channel the
      // connection subscribed, EXEC.
      let exec = wire("*2\r\n+OK\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\nmsg\r\n:1\r\n")
      let message = RESPValue.push([.bulk("message"), .bulk("ch"), .bulk("msg")])
      let expected = DecodeOutcome.values([message, .array([.simpleString("OK"), .integer(1)])])
      #expect(decodeAll(exec, chunks: wholeChunks(exec)) == expected)
      #expect(decodeAll(exec, chunks: byteChunks(exec)) == expected)
      var generator = SeededGenerator(seed: 7)
      for _ in 0..<50 {
        #expect(decodeAll(exec, chunks: randomChunks(exec, using: &generator)) == expected)
      }
      // Deeper, in a set and a map, and an empty push; a push inside a push or an
      // attribute stays where it is.
      let nested = wire(
        "*2\r\n*2\r\n:1\r\n>0\r\n:2\r\n~1\r\n>1\r\n+a\r\n+b\r\n%1\r\n+k\r\n>1\r\n+c\r\n+v\r\n>1\r\n>1\r\n+d\r\n")
      #expect(
        decodeAll(nested, chunks: byteChunks(nested))
          == .values([
            .push([]),
            .push([.simpleString("a")]),
            .array([.array([.integer(1), .integer(2)]), .set([.simpleString("b")])]),
            .push([.simpleString("c")]),
            .map([RESPMapEntry(key: .simpleString("k"), value: .simpleString("v"))]),
            .push([.push([.simpleString("d")])]),
          ]))
    }

    @Test("encode then decode is the identity for random values, in random splits")
    func roundTrip() {
      var generator = SeededGenerator(seed: 2024)
      for _ in 0..<400 {
        let value = Self.randomValue(depth: 0, using: &generator)
        let bytes = encoded(value)
        let chunks = randomChunks(bytes, using: &generator)
        #expect(decodeAll(bytes, chunks: chunks) == .values([value]), "\(value)")
      }
    }

    static func randomValue(depth: Int, using generator: inout SeededGenerator) -> RESPValue {
      let scalarKinds = 12
      let kind = Int.random(in: 0..<(depth >= 4 ? scalarKinds : scalarKinds + 6), using: &generator)
      func text() -> String {
        String(
          (0..<Int.random(in: 0...12, using: &generator)).map { _ in "abcxyz019 :é-".randomElement(using: &generator)! }
        )
      }
      func children() -> [RESPValue] {
        (0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) }
      }
      switch kind {
      case 0: return .simpleString(text())
      case 1: return .simpleError("ERR " + text())
      case 2: return .integer(Int64.random(in: .min ... .max, using: &generator))
      case 3:
        return .bulk(
          bytes: (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator)
          })
      case 4: return .bulkString(nil)
      case 5: return .null
      case 6: return .boolean(Bool.random(using: &generator))
      case 7:
        return .double(
          [Double.infinity, -.infinity, 0, -1.5, Double.random(in: -1e12...1e12, using: &generator)].randomElement(
            using: &generator)!)
      case 8:
        return .bigNumber(
          (Bool.random(using: &generator) ? "-" : "") + String(UInt64.random(in: 0 ... .max, using: &generator))
            + "123456789")
      case 9: return .bulkError("ERR " + text())
      case 10: return .verbatimString(format: "txt", text: ByteBuffer(string: text()))
      case 11: return .array(nil)
      case 12: return .array(children())
      case 13: return .set(children())
      // Pushes only at the top: one inside a reply is delivered on its own (see
      // `pushInsideAReplyIsDeliveredOnItsOwn`).
      case 14: return depth == 0 ? .push([.bulk("invalidate")] + children()) : .array(children())
      case 15:
        return .map(children().map { RESPMapEntry(key: $0, value: randomValue(depth: depth + 1, using: &generator)) })
      case 16:
        return .attribute(
          [RESPMapEntry(key: .simpleString(text()), value: randomValue(depth: depth + 1, using: &generator))],
          randomValue(depth: depth + 1, using: &generator)
        )
      default: return .array([randomValue(depth: depth + 1, using: &generator)])
      }
    }
  }
#endif

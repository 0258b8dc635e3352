#if Redis
  import NIOCore
  import Testing
  @testable import CortadoRedis

  @Suite("Push frames to events")
  struct PushEventTests {
    @Test("invalidations, flushes and messages")
    func wellFormed() {
      #expect(
        RedisClientCore.event(forPush: .push([.bulk("invalidate"), .array([.bulk("a:1"), .bulk("a:2")])]))
          == .keys(["a:1", "a:2"]))
      #expect(RedisClientCore.event(forPush: .push([.bulk("invalidate"), .null])) == .flushAll)
      #expect(RedisClientCore.event(forPush: .push([.bulk("invalidate"), .array(nil)])) == .flushAll)
      #expect(RedisClientCore.event(forPush: .push([.bulk("invalidate"), .bulkString(nil)])) == .flushAll)
      #expect(
        RedisClientCore.event(forPush: .push([.bulk("message"), .bulk("ch"), .bulk(bytes: [0, 255])]))
          == .message(channel: "ch", payload: [0, 255]))
      #expect(
        RedisClientCore.event(forPush: .push([.bulk("pmessage"), .bulk("c*"), .bulk("ch"), .bulk("x")]))
          == .message(channel: "ch", payload: Array("x".utf8)))
      #expect(RedisClientCore.event(forPush: .push([.bulk("tracking-redir-broken"), .integer(5)])) == nil)
      #expect(
        RedisClientCore.event(forPush: .attribute([], .push([.bulk("INVALIDATE"), .array([.bulk("k")])])))
          == .keys(["k"]))
    }

    @Test("malformed invalidations are treated as a flush; other junk is ignored")
    func malformed() {
      #expect(RedisClientCore.event(forPush: .push([.bulk("invalidate")])) == .flushAll)
      #expect(RedisClientCore.event(forPush: .push([.bulk("invalidate"), .integer(5)])) == .flushAll)
      #expect(
        RedisClientCore.event(forPush: .push([.bulk("invalidate"), .array([.bulk("k"), .integer(1)])])) == .flushAll)
      #expect(RedisClientCore.event(forPush: .push([.bulk("invalidate"), .array([.map([])])])) == .flushAll)
      #expect(RedisClientCore.event(forPush: .push([.bulk("invalidate"), .array([])])) == nil)
      #expect(RedisClientCore.event(forPush: .push([])) == nil)
      #expect(RedisClientCore.event(forPush: .push([.integer(1), .bulk("x")])) == nil)
      #expect(RedisClientCore.event(forPush: .push([.bulk("message")])) == nil)
      #expect(RedisClientCore.event(forPush: .push([.bulk("message"), .bulk("ch"), .array([])])) == nil)
      #expect(RedisClientCore.event(forPush: .push([.bulk("pmessage"), .bulk("p")])) == nil)
      #expect(RedisClientCore.event(forPush: .simpleString("invalidate")) == nil)
    }

    @Test("random pushes never crash the mapping")
    func fuzz() {
      var generator = SeededGenerator(seed: 99)
      for _ in 0..<2000 {
        let kind: RESPValue = [
          .bulk("invalidate"), .bulk("message"), .bulk("pmessage"), .bulk("smessage"), .integer(3),
        ]
        .randomElement(using: &generator)!
        let rest = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
          RESPEncoderTests.randomValue(depth: 2, using: &generator)
        }
        _ = RedisClientCore.event(forPush: .push([kind] + rest))
      }
    }
  }
#endif

#if Redis
  import NIOCore
  @testable import CortadoRedis

  /// A small deterministic generator (SplitMix64) so that random splits and fuzz
  /// inputs are reproducible from a seed.
  struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
      self.state &+= 0x9E37_79B9_7F4A_7C15
      var z = self.state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  enum DecodeOutcome: Equatable {
    case values([RESPValue])
    case failure(RESPError, after: [RESPValue])
  }

  /// Feeds `bytes` to one decoder in the given chunk sizes, decoding after every chunk.
  func decodeAll(_ bytes: [UInt8], chunks: [Int], limits: RESPDecoder.Limits = .init()) -> DecodeOutcome {
    var decoder = RESPDecoder(limits: limits)
    var buffer = ByteBuffer()
    var values: [RESPValue] = []
    var offset = 0
    var chunkIndex = 0
    while offset < bytes.count {
      let size = chunkIndex < chunks.count ? max(1, chunks[chunkIndex]) : bytes.count - offset
      chunkIndex += 1
      let end = min(bytes.count, offset + size)
      buffer.writeBytes(bytes[offset..<end])
      offset = end
      do {
        while let value = try decoder.decode(&buffer) { values.append(value) }
      } catch {
        return .failure(error, after: values)
      }
    }
    return .values(values)
  }

  func wholeChunks(_ bytes: [UInt8]) -> [Int] { [bytes.count] }
  func byteChunks(_ bytes: [UInt8]) -> [Int] { Array(repeating: 1, count: bytes.count) }
  func randomChunks(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [Int] {
    var chunks: [Int] = []
    var left = bytes.count
    while left > 0 {
      let size = Int.random(in: 1...max(1, min(left, 1 + bytes.count / 3)), using: &generator)
      chunks.append(size)
      left -= size
    }
    return chunks
  }

  func wire(_ string: String) -> [UInt8] { Array(string.utf8) }

  func encoded(_ value: RESPValue) -> [UInt8] {
    var buffer = ByteBuffer()
    RESPEncoder.encode(value, into: &buffer)
    return Array(buffer.readableBytesView)
  }

  func encoded(_ command: RedisCommand) -> [UInt8] {
    var buffer = ByteBuffer()
    RESPEncoder.encode(command, into: &buffer)
    return Array(buffer.readableBytesView)
  }
#endif

#if Fuzz
  import CortadoHybrid
  #if Redis
    import CortadoRedis
    import NIOCore
  #endif

  /// The RESP decoder with limits from the input (from tiny to "no limit"),
  /// fed in chunks whose sizes come from the input too. Every decoded value is
  /// also described, compared and released: deep values must not overflow the
  /// stack.
  func fuzzRESP(_ bytes: [UInt8]) {
    #if Redis
      var reader = ByteReader(bytes)
      func limit(_ byte: UInt8, small: Int) -> Int {
        switch byte % 4 {
        case 0: return small
        case 1: return small * 16
        case 2: return .max
        default: return Int(byte)
        }
      }
      let limits = RESPDecoder.Limits(
        maxBulkLength: limit(reader.byte(), small: 64),
        maxAggregateLength: limit(reader.byte(), small: 8),
        maxDepth: limit(reader.byte(), small: 4),
        maxLineLength: limit(reader.byte(), small: 32))
      let chunk = Int(reader.byte() % 16) + 1
      let input = reader.rest()
      var decoder = RESPDecoder(limits: limits)
      var buffer = ByteBuffer()
      var offset = 0
      while offset < input.count {
        let end = min(input.count, offset + chunk)
        buffer.writeBytes(input[offset..<end])
        offset = end
        do {
          while let value = try decoder.decode(&buffer) {
            _ = value.description
            precondition(value == value || value.description.contains("nan"), "a decoded value is not equal to itself")
          }
        } catch {
          return
        }
      }
    #endif
  }

  /// The envelope decoder: never traps, and whatever it accepts re-encodes to
  /// an envelope that decodes to the same value.
  func fuzzEnvelope(_ bytes: [UInt8]) {
    guard case .success(let envelope) = HybridEnvelope.decode(bytes) else { return }
    guard case .success(let again) = HybridEnvelope.decode(envelope.encoded()) else {
      preconditionFailure("an accepted envelope does not decode after re-encoding")
    }
    precondition(again == envelope, "an envelope does not round-trip")
  }

  /// The pub/sub invalidation message decoder (the fallback when server-assisted
  /// tracking is unavailable): never traps, and round-trips what it accepts.
  func fuzzInvalidation(_ bytes: [UInt8]) {
    #if Redis
      guard let message = RedisInvalidationMessage.decode(bytes) else { return }
      precondition(
        RedisInvalidationMessage.decode(message.encoded()) == message, "an invalidation message does not round-trip")
    #endif
  }
#endif

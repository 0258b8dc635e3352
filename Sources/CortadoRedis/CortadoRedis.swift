// CortadoRedis: a small, production-grade RESP3 client for Redis (>= 6) on SwiftNIO,
// made for Cortado's L2 tier. Built only with the `Redis` package trait; without the
// trait this target is an empty module, so users of the core never build SwiftNIO.
//
// Layout:
// - RESP/        RESP3 value type, incremental decoder (with limits), encoder.
// - Connection/  the NIO channel handler: pipelining, FIFO reply matching, push
//                routing, per-command deadlines, health-check PINGs.
// - Client/      `RedisClient`: configuration, reconnect loop with jittered
//                exponential backoff, handshake (HELLO 3 / AUTH / SELECT / CLIENT
//                TRACKING or SUBSCRIBE), state and event streams, typed commands.
//
// See docs/redis-client.md for the design and its trade-offs.

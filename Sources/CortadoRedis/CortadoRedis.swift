// Placeholder until the Redis client lands (helper in progress).

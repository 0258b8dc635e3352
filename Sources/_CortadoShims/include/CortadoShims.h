// Internal C helpers for Cortado: relaxed/acquire-release atomics on 64-bit
// integers. They are `static inline`, so Swift code that calls them (including
// `@inlinable` code specialised in a client module) compiles them in place: no
// function call, no dependency beyond the C compiler that ships with Swift.
//
// Why C and not `Synchronization.Atomic`: `Atomic` needs macOS 15 / iOS 18, and
// Cortado supports macOS 13 / iOS 16. ThreadSanitizer understands these
// builtins, so they keep the TSan runs clean.
#ifndef CORTADO_SHIMS_H
#define CORTADO_SHIMS_H

#include <stdint.h>
#include <stdbool.h>

static inline int64_t _cortado_atomic_load(const int64_t *_Nonnull p) {
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline int64_t _cortado_atomic_load_relaxed(const int64_t *_Nonnull p) {
  return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void _cortado_atomic_store(int64_t *_Nonnull p, int64_t value) {
  __atomic_store_n(p, value, __ATOMIC_RELEASE);
}

static inline int64_t _cortado_atomic_fetch_add(int64_t *_Nonnull p, int64_t delta) {
  return __atomic_fetch_add(p, delta, __ATOMIC_ACQ_REL);
}

static inline int64_t _cortado_atomic_fetch_add_relaxed(int64_t *_Nonnull p, int64_t delta) {
  return __atomic_fetch_add(p, delta, __ATOMIC_RELAXED);
}

static inline bool _cortado_atomic_compare_exchange(int64_t *_Nonnull p, int64_t *_Nonnull expected, int64_t desired) {
  return __atomic_compare_exchange_n(p, expected, desired, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

#endif

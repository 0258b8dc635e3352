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

static inline int64_t _cortado_atomic_load_acquire(const int64_t *_Nonnull p) {
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline int64_t _cortado_atomic_load_relaxed(const int64_t *_Nonnull p) {
  return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void _cortado_atomic_store_release(int64_t *_Nonnull p, int64_t value) {
  __atomic_store_n(p, value, __ATOMIC_RELEASE);
}

static inline int64_t _cortado_atomic_fetch_add_acq_rel(int64_t *_Nonnull p, int64_t delta) {
  return __atomic_fetch_add(p, delta, __ATOMIC_ACQ_REL);
}

static inline int64_t _cortado_atomic_fetch_add_relaxed(int64_t *_Nonnull p, int64_t delta) {
  return __atomic_fetch_add(p, delta, __ATOMIC_RELAXED);
}

static inline bool _cortado_atomic_compare_exchange_acq_rel(int64_t *_Nonnull p, int64_t *_Nonnull expected, int64_t desired) {
  return __atomic_compare_exchange_n(p, expected, desired, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

#endif

// MARK: - Stripe lock
//
// A 32-bit lock word with an inline uncontended path: one compare-and-swap to
// lock, one exchange to unlock (no function call, unlike pthread_mutex_lock).
// Contended threads spin briefly, then sleep in the kernel (futex on Linux).
// On Apple platforms the word is an os_unfair_lock, which is already this.
//
// ThreadSanitizer sees the acquire/release atomics, so races are still caught.

#if defined(__APPLE__)
#include <os/lock.h>

static inline void _cortado_lock(uint32_t *_Nonnull word) {
  os_unfair_lock_lock((os_unfair_lock *)word);
}

static inline void _cortado_unlock(uint32_t *_Nonnull word) {
  os_unfair_lock_unlock((os_unfair_lock *)word);
}
#else
void _cortado_lock_contended(uint32_t *_Nonnull word);
void _cortado_wake_one(uint32_t *_Nonnull word);

// 0: unlocked; 1: locked, nobody waiting; 2: locked, maybe waiters.
static inline void _cortado_lock(uint32_t *_Nonnull word) {
  uint32_t expected = 0;
  if (__builtin_expect(__atomic_compare_exchange_n(word, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED), 1)) {
    return;
  }
  _cortado_lock_contended(word);
}

static inline void _cortado_unlock(uint32_t *_Nonnull word) {
  if (__builtin_expect(__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) == 2, 0)) {
    _cortado_wake_one(word);
  }
}
#endif

// MARK: - Sequentially consistent operations for the stripes' read protocol
//
// A reader announces itself (fetch-add on its slot) and then checks the
// writer flag; a writer raises the flag and then checks every slot. With both
// sides sequentially consistent, at least one of them sees the other (the
// Dekker pattern), so a reader never runs alongside a writer.

static inline int64_t _cortado_atomic_fetch_add_seq_cst(int64_t *_Nonnull p, int64_t delta) {
  return __atomic_fetch_add(p, delta, __ATOMIC_SEQ_CST);
}

static inline int64_t _cortado_atomic_load_seq_cst(const int64_t *_Nonnull p) {
  return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static inline void _cortado_atomic_store_seq_cst(int64_t *_Nonnull p, int64_t value) {
  __atomic_store_n(p, value, __ATOMIC_SEQ_CST);
}

static inline void _cortado_atomic_store_relaxed(int64_t *_Nonnull p, int64_t value) {
  __atomic_store_n(p, value, __ATOMIC_RELAXED);
}

// Whether the lock is free right now (a hint: it may be taken the next
// moment). Lets a caller skip a try-lock that would fail.
static inline bool _cortado_lock_looks_free(uint32_t *_Nonnull word) {
#if defined(__APPLE__)
  return true;  // os_unfair_lock's word is opaque: let trylock decide
#else
  return __atomic_load_n(word, __ATOMIC_RELAXED) == 0;
#endif
}

static inline bool _cortado_try_lock(uint32_t *_Nonnull word) {
#if defined(__APPLE__)
  return os_unfair_lock_trylock((os_unfair_lock *)word);
#else
  uint32_t expected = 0;
  return __atomic_compare_exchange_n(word, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
#endif
}

static inline void _cortado_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

// Yields the processor (used while a writer waits for readers to leave).
void _cortado_yield(void);

// A small number for the calling thread, assigned in order of first use, so
// that concurrent threads pick distinct reader slots (round robin) instead of
// colliding by hash.
int64_t _cortado_thread_number(void);

// Hands memory the allocator holds free back to the system (glibc's
// malloc_trim; nothing elsewhere). Called, outside every lock, after a large
// stripe's arrays grow: the arrays they replaced are freed at once, and glibc
// otherwise keeps them as resident free space (measured: 4-5 bytes per entry
// of a cache filled to 1,000,000 entries).
void _cortado_return_freed_memory(void);

#include "CortadoShims.h"

#if !defined(__APPLE__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

// The contended path of a classic three-state futex mutex (Drepper, "Futexes
// Are Tricky"): spin a little in case the holder is about to release, then
// mark the lock contended and sleep until woken.
void _cortado_lock_contended(uint32_t *word) {
  for (int spin = 0; spin < 64; spin++) {
    uint32_t expected = 0;
    if (__atomic_load_n(word, __ATOMIC_RELAXED) == 0 &&
        __atomic_compare_exchange_n(word, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
      return;
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
  }
  uint32_t state = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
  while (state != 0) {
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
    state = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
  }
}

void _cortado_wake_one(uint32_t *word) {
  syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
#endif

#include <sched.h>

void _cortado_yield(void) {
  sched_yield();
}

static int64_t cortado_next_thread_number = 0;
static _Thread_local int64_t cortado_thread_number = -1;

int64_t _cortado_thread_number(void) {
  if (cortado_thread_number < 0) {
    cortado_thread_number = __atomic_fetch_add(&cortado_next_thread_number, 1, __ATOMIC_RELAXED);
  }
  return cortado_thread_number;
}

#if defined(__GLIBC__)
#include <malloc.h>
void _cortado_return_freed_memory(void) { malloc_trim(0); }
#else
void _cortado_return_freed_memory(void) {}
#endif

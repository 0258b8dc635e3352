// What a precise clock read costs beside cache misses, the way a get with a
// lifetime meets it: each iteration makes one load from a random place in a
// 128 MiB table (a cache miss, independent of the others, as the lookups of
// back-to-back gets on different keys are), then optionally reads a clock.
//
//   gcc -O2 -o /tmp/clock_beside_misses Benchmarks/Probes/clock_beside_misses.c && /tmp/clock_beside_misses
//
// Without a clock the misses overlap. The vDSO reads the time stamp counter
// in order (rdtscp, or lfence; rdtsc), which waits for every earlier load, so
// with CLOCK_BOOTTIME in the loop each iteration waits out its miss;
// CLOCK_MONOTONIC_COARSE is a plain read of kernel memory and does not.
// Results and their use: docs/design.md, "Performance against the targets".
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TABLE_WORDS (1 << 24)  // 128 MiB: far beyond the last-level cache
#define ITERATIONS 5000000

static uint64_t *table;

// Nanoseconds per iteration: loads only (mode 0), with CLOCK_BOOTTIME (1),
// with CLOCK_MONOTONIC_COARSE (2).
static double run(int mode) {
  struct timespec now, start, end;
  uint64_t state = 88172645463325252ULL, sum = 0;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0; i < ITERATIONS; i++) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    sum += table[state & (TABLE_WORDS - 1)];
    if (mode == 1) {
      clock_gettime(CLOCK_BOOTTIME, &now);
      sum += (uint64_t)now.tv_nsec;
    } else if (mode == 2) {
      clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
      sum += (uint64_t)now.tv_nsec;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  if (sum == 42) printf("(unlikely)\n");  // keeps the loads alive
  return ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / ITERATIONS;
}

int main(void) {
  table = malloc(sizeof(uint64_t) * TABLE_WORDS);
  if (table == NULL) return 1;
  for (int i = 0; i < TABLE_WORDS; i++) table[i] = (uint64_t)i;
  for (int round = 0; round < 3; round++) {
    printf("loads only %.1f   + CLOCK_BOOTTIME %.1f   + CLOCK_MONOTONIC_COARSE %.1f   ns per iteration\n",
           run(0), run(1), run(2));
  }
  return 0;
}

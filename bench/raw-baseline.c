/* Raw baseline for the read benchmarks: the same reads done by C directly on the mapped file.
 * usage: raw-baseline FILE DATA_OFFSET DATA_LEN RANDOM_READS SEQ_BYTES
 * prints: "<random reads per second> <sequential bytes per second>" */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Same generator as bench/prng.js so both sides read the same offsets. */
static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

int main(int argc, char **argv) {
  if (argc != 6) return 2;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 1;
  struct stat st;
  fstat(fd, &st);
  const uint8_t *map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return 1;
  uint64_t off = strtoull(argv[2], 0, 0), len = strtoull(argv[3], 0, 0);
  uint64_t nrand = strtoull(argv[4], 0, 0), seq = strtoull(argv[5], 0, 0);
  const uint8_t *data = map + off;
  for (uint64_t i = 0; i < len; i += 4096) (void)*(volatile const uint8_t *)(data + i); /* fault in */
  uint64_t sum = 0;
  double t0 = now();
  for (uint64_t i = 0; i < nrand; i++) {
    uint64_t o = (next() % (len - 8)) & ~7ull;
    uint64_t v;
    memcpy(&v, data + o, 8);
    sum += v;
  }
  double t1 = now();
  uint8_t *buf = malloc(1 << 20);
  double t2 = now();
  for (uint64_t done = 0; done < seq; done += 1 << 20) {
    memcpy(buf, data + (done % len), 1 << 20);
    sum += buf[done & 0xfff];
  }
  double t3 = now();
  printf("%.0f %.0f %llu\n", nrand / (t1 - t0), seq / (t3 - t2), (unsigned long long)(sum & 1));
  return 0;
}

// allocation_counter: an LD_PRELOAD library that counts a process's heap allocations.
//
// Why it exists: the gateway's steady state must allocate nothing per message, and the only
// honest way to check that is to count every malloc of the real binary. Each malloc, calloc,
// realloc, posix_memalign, aligned_alloc and memalign adds one to a 64-bit counter in a file
// mapped MAP_SHARED, so a test reads the count at any moment without talking to the process.
// The file is named by WSGATE_ALLOCATION_COUNTER_FILE; the variable is removed at start-up so
// the programs the gateway starts (which inherit LD_PRELOAD) do not add to the count.
// Allocation goes on to glibc's own functions (__libc_malloc and friends).
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static _Atomic unsigned long long *counter;

__attribute__((constructor)) static void allocation_counter_start(void) {
    const char *path = getenv("WSGATE_ALLOCATION_COUNTER_FILE");
    if (path == NULL) return;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) return;
    void *page = mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (page == MAP_FAILED) return;
    unsetenv("WSGATE_ALLOCATION_COUNTER_FILE");
    counter = page;
}

static inline void count_one(void) {
    if (counter != NULL) atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

void *malloc(size_t size) { count_one(); return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { count_one(); return __libc_calloc(count, size); }
void *realloc(void *pointer, size_t size) { count_one(); return __libc_realloc(pointer, size); }
void *memalign(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }

int posix_memalign(void **result, size_t alignment, size_t size) {
    count_one();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return 12;  // ENOMEM
    *result = pointer;
    return 0;
}

/* fail_io.c: an LD_PRELOAD shim for the I/O error tests (Tests/e2e/test_io_errors.py).
 *
 * It intercepts write, pwrite, pwrite64, fsync and fdatasync. Calls on a descriptor whose
 * path starts with $SEALBOX_SHIM_PREFIX are counted while the control file
 * $SEALBOX_SHIM_CONTROL exists; it holds "N MODE OPS": fail the Nth counted call with
 * EIO ("once") or the Nth and every later one ("persist"); OPS is any of "w" (write and
 * pwrite) and "s" (fsync and fdatasync). Rewriting the control file re-arms the count;
 * removing it disarms. The number of counted calls is kept in "<control>.count".
 * Nothing here exists in the daemon: only a test process loads it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct timespec seen_mtime;
static ino_t seen_ino;
static long target, counter;
static int persist, armed, ops_write, ops_sync;

static void resolve(void) {
    if (!real_write) {
        real_write = dlsym(RTLD_NEXT, "write");
        real_pwrite = dlsym(RTLD_NEXT, "pwrite");
        real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
        real_fsync = dlsym(RTLD_NEXT, "fsync");
        real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    }
}

static int under_prefix(int fd) {
    const char *prefix = getenv("SEALBOX_SHIM_PREFIX");
    if (!prefix || !*prefix) return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return 0;
    path[n] = 0;
    return strncmp(path, prefix, strlen(prefix)) == 0;
}

static void reload(const char *control) {
    struct stat st;
    if (stat(control, &st) != 0) { armed = 0; return; }
    if (armed && st.st_ino == seen_ino && st.st_mtim.tv_sec == seen_mtime.tv_sec &&
        st.st_mtim.tv_nsec == seen_mtime.tv_nsec) return;
    seen_ino = st.st_ino;
    seen_mtime = st.st_mtim;
    FILE *f = fopen(control, "r");
    if (!f) { armed = 0; return; }
    char mode[16] = "", ops[8] = "";
    armed = fscanf(f, "%ld %15s %7s", &target, mode, ops) == 3;
    fclose(f);
    persist = strcmp(mode, "persist") == 0;
    ops_write = strchr(ops, 'w') != NULL;
    ops_sync = strchr(ops, 's') != NULL;
    counter = 0;
}

static void save_count(const char *control) {
    char path[4200], text[32];
    snprintf(path, sizeof path, "%s.count", control);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    int n = snprintf(text, sizeof text, "%ld\n", counter);
    real_write(fd, text, (size_t)n);
    close(fd);
}

/* 1 when this call must fail. */
static int should_fail(int fd, int is_sync) {
    resolve();
    const char *control = getenv("SEALBOX_SHIM_CONTROL");
    if (!control || !under_prefix(fd)) return 0;
    pthread_mutex_lock(&lock);
    reload(control);
    int fail = 0;
    if (armed && (is_sync ? ops_sync : ops_write)) {
        counter++;
        fail = counter == target || (persist && counter >= target);
        save_count(control);
    }
    pthread_mutex_unlock(&lock);
    return fail;
}

ssize_t write(int fd, const void *buf, size_t n) {
    resolve();
    if (should_fail(fd, 0)) { errno = EIO; return -1; }
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    resolve();
    if (should_fail(fd, 0)) { errno = EIO; return -1; }
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) {
    resolve();
    if (should_fail(fd, 0)) { errno = EIO; return -1; }
    return real_pwrite64(fd, buf, n, off);
}

int fsync(int fd) {
    resolve();
    if (should_fail(fd, 1)) { errno = EIO; return -1; }
    return real_fsync(fd);
}

int fdatasync(int fd) {
    resolve();
    if (should_fail(fd, 1)) { errno = EIO; return -1; }
    return real_fdatasync(fd);
}

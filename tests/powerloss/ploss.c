/* tests/powerloss/ploss.c: a test-only LD_PRELOAD layer that turns one
 * sqlite database's files into a log of what a disk was asked to do.
 *
 * For the files $PLOSS_DB, $PLOSS_DB-wal and $PLOSS_DB-journal, every
 * write, truncation, flush (fsync/fdatasync) and unlink is appended, in
 * the order it happens, to $PLOSS_LOG: one append-only file shared by
 * every process that has this library loaded (O_APPEND makes each record
 * one indivisible append, so the log is the order in which the processes,
 * under sqlite's own locks, touched the files).  A record is appended
 * before the call it describes is made, so nothing reaches the files that
 * the log does not hold.  Flushes are recorded and not made: the log is
 * the disk, and tests/powerloss/run rebuilds from it what a disk would
 * hold had the power gone out when the processes were killed (everything
 * before a file's last flush; of the rest, whatever it chooses).
 *
 * Record: "PL", op, file, u32 length, u64 offset, u32 pid, then length
 * bytes of data (little-endian, packed: 22 bytes of header).  op is 'W'
 * (write at offset), 'T' (truncate to offset), 'S' (flush), 'U' (unlink);
 * file is 'D' (the database), 'W' (its -wal) or 'J' (its -journal).
 * Directories are not modelled: a file exists once it was written to. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FD 4096
#define HEADER 22

static char names[3][4096];        /* db, -wal, -journal; empty: off */
static const char codes[3] = {'D', 'W', 'J'};
static char tracked[MAX_FD];       /* fd -> file code, 0: not ours */
static int log_fd = -1;

static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_unlink)(const char *);

/* Every real function is looked up before the first call can need it. */
__attribute__((constructor)) static void
ploss_init(void)
{
	real_open = dlsym(RTLD_NEXT, "open");
	real_openat = dlsym(RTLD_NEXT, "openat");
	real_close = dlsym(RTLD_NEXT, "close");
	real_write = dlsym(RTLD_NEXT, "write");
	real_pwrite = dlsym(RTLD_NEXT, "pwrite");
	real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
	real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
	real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
	real_fsync = dlsym(RTLD_NEXT, "fsync");
	real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
	real_unlink = dlsym(RTLD_NEXT, "unlink");
	const char *db = getenv("PLOSS_DB");
	const char *log = getenv("PLOSS_LOG");
	if (db == NULL || log == NULL || strlen(db) + 16 > sizeof(names[0]))
		return;
	strcpy(names[0], db);
	strcpy(names[1], db);
	strcat(names[1], "-wal");
	strcpy(names[2], db);
	strcat(names[2], "-journal");
	log_fd = real_open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

/* The code of a path we log, or 0. */
static char
code_of(const char *path)
{
	if (log_fd < 0 || path == NULL)
		return 0;
	for (int i = 0; i < 3; i++)
		if (strcmp(path, names[i]) == 0)
			return codes[i];
	return 0;
}

static char
code_of_fd(int fd)
{
	return fd >= 0 && fd < MAX_FD ? tracked[fd] : 0;
}

static void
put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Appends one record; a failure to log stops the process, since a test
 * that went on without its log would check nothing. */
static void
record(char op, char file, uint64_t off, const void *data, size_t len)
{
	unsigned char h[HEADER];
	h[0] = 'P';
	h[1] = 'L';
	h[2] = (unsigned char)op;
	h[3] = (unsigned char)file;
	put_u32(h + 4, (uint32_t)len);
	put_u64(h + 8, off);
	put_u32(h + 16, (uint32_t)getpid());
	h[20] = h[21] = 0;
	struct iovec iov[2] = {{h, HEADER}, {(void *)data, len}};
	ssize_t want = (ssize_t)(HEADER + len);
	int saved = errno;
	if (writev(log_fd, iov, len ? 2 : 1) != want)
		abort();
	errno = saved;
}

static int
opened(int fd, const char *path)
{
	if (fd >= 0 && fd < MAX_FD)
		tracked[fd] = code_of(path);
	return fd;
}

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return opened(real_open(path, flags, mode), path);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return opened(real_openat(dirfd, path, flags, mode), path);
}

int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int
__open_2(const char *path, int flags)
{
	return opened(real_open(path, flags), path);
}

int __open64_2(const char *path, int flags) __attribute__((alias("__open_2")));

int
close(int fd)
{
	if (fd >= 0 && fd < MAX_FD)
		tracked[fd] = 0;
	return real_close(fd);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	char c = code_of_fd(fd);
	if (c) {
		off_t at = lseek(fd, 0, SEEK_CUR);
		if (at >= 0)
			record('W', c, (uint64_t)at, buf, n);
	}
	return real_write(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	char c = code_of_fd(fd);
	if (c)
		record('W', c, (uint64_t)off, buf, n);
	return real_pwrite(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	char c = code_of_fd(fd);
	if (c)
		record('W', c, (uint64_t)off, buf, n);
	return real_pwrite64(fd, buf, n, off);
}

int
ftruncate(int fd, off_t len)
{
	char c = code_of_fd(fd);
	if (c)
		record('T', c, (uint64_t)len, NULL, 0);
	return real_ftruncate(fd, len);
}

int
ftruncate64(int fd, off64_t len)
{
	char c = code_of_fd(fd);
	if (c)
		record('T', c, (uint64_t)len, NULL, 0);
	return real_ftruncate64(fd, len);
}

/* A flush of a logged file is a record and nothing else. */
int
fsync(int fd)
{
	char c = code_of_fd(fd);
	if (c) {
		record('S', c, 0, NULL, 0);
		return 0;
	}
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	char c = code_of_fd(fd);
	if (c) {
		record('S', c, 0, NULL, 0);
		return 0;
	}
	return real_fdatasync(fd);
}

int
unlink(const char *path)
{
	char c = code_of(path);
	if (c)
		record('U', c, 0, NULL, 0);
	return real_unlink(path);
}

// glibc functions the Glibc module does not declare: it sets neither _XOPEN_SOURCE (strptime)
// nor _GNU_SOURCE (sched_getaffinity). Declared here, once, with glibc's own signatures.
#include <sys/types.h>
#include <time.h>

char *strptime(const char *s, const char *format, struct tm *tm);
int sched_getaffinity(pid_t pid, size_t cpusetsize, void *mask);

// glibc functions the Glibc module does not declare: it sets neither _XOPEN_SOURCE (strptime)
// nor _GNU_SOURCE (sched_getaffinity, recvmmsg, sendmmsg), and has no epoll or eventfd. Declared here, once, with glibc's own
// signatures; the batch calls under names of their own (asm labels) so nothing can clash.
#include <sys/types.h>
#include <sys/socket.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

char *strptime(const char *s, const char *format, struct tm *tm);
int sched_getaffinity(pid_t pid, size_t cpusetsize, void *mask);

/// glibc's `struct mmsghdr`: one datagram of a batch.
struct lifeboat_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};
int lifeboat_recvmmsg(int fd, struct lifeboat_mmsghdr *vector, unsigned int count, int flags,
                      struct timespec *timeout) __asm__("recvmmsg");
int lifeboat_sendmmsg(int fd, struct lifeboat_mmsghdr *vector, unsigned int count, int flags) __asm__("sendmmsg");

#include <pthread.h>
int pthread_setname_np(pthread_t thread, const char *name);

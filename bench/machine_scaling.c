/* The machine's own CPU scaling, the reference for the benchmark's cpu_scale: the same busy loop 40 times in one
 * process, then 20 times in each of two processes at once. Prints one JSON line; efficiency = one / (2 × two).
 * gcc -O1 -o /tmp/machine_scaling bench/machine_scaling.c && /tmp/machine_scaling 30000000 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile long sink;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void busy(long n) {
    long c = 0;
    for (long i = n; i; i--) c += i & 1;
    sink = c;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: machine_scaling <iterations per task>\n");
        return 2;
    }
    long n = atol(argv[1]);
    const int tasks = 40;
    double t0 = now();
    for (int i = 0; i < tasks; i++) busy(n);
    double one = now() - t0;
    t0 = now();
    for (int w = 0; w < 2; w++) {
        if (fork() == 0) {
            for (int i = 0; i < tasks / 2; i++) busy(n);
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {}
    double two = now() - t0;
    printf("{\"one\":%.3f,\"two\":%.3f,\"efficiency\":%.3f}\n", one, two, one / (2 * two));
    return 0;
}

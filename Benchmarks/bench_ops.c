/* Tight loops for the mount benchmark, so the figures measure the file system rather than an interpreter.
 *   bench_ops stat LIST        stat every path in LIST (one a line); prints ops/s and how many existed
 *   bench_ops ocr LIST         open, read 4 KiB, close every path in LIST; prints ops/s
 *   bench_ops read FILE        read FILE sequentially in 1 MiB blocks; prints MB/s and bytes
 *   bench_ops list DIR         list DIR; prints entries and seconds
 *   bench_ops first FILE       open FILE and read its first 4 KiB; prints milliseconds
 *   bench_ops random FILE S    read random 4 KiB blocks of FILE for S seconds; prints reads per second
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static char **read_list(const char *path, size_t *count) {
    FILE *file = fopen(path, "r");
    if (!file) { perror(path); exit(2); }
    size_t capacity = 1024, n = 0;
    char **lines = malloc(capacity * sizeof *lines);
    char *line = NULL;
    size_t length = 0;
    ssize_t got;
    while ((got = getline(&line, &length, file)) > 0) {
        if (line[got - 1] == '\n') line[got - 1] = 0;
        if (n == capacity) lines = realloc(lines, (capacity *= 2) * sizeof *lines);
        lines[n++] = strdup(line);
    }
    fclose(file);
    free(line);
    *count = n;
    return lines;
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "random")) {
        int fd = open(argv[2], O_RDONLY);
        if (fd < 0) { perror(argv[2]); return 1; }
        struct stat st;
        fstat(fd, &st);
        long long blocks = st.st_size / 4096, reads = 0;
        static char buffer[4096];
        double seconds = atof(argv[3]), start = now();
        srand(42);
        while (now() - start < seconds) {
            long long block = ((long long)rand() * RAND_MAX + rand()) % blocks;
            if (pread(fd, buffer, sizeof buffer, block * 4096) != sizeof buffer) { perror("pread"); return 1; }
            reads++;
        }
        printf("%.0f %lld\n", reads / (now() - start), reads);
        close(fd);
        return 0;
    }
    if (argc != 3) { fprintf(stderr, "usage: bench_ops stat|ocr|read|list|first PATH | random PATH SECONDS\n"); return 2; }
    if (!strcmp(argv[1], "stat") || !strcmp(argv[1], "ocr")) {
        size_t n;
        char **paths = read_list(argv[2], &n);
        int ocr = !strcmp(argv[1], "ocr");
        static char buffer[4096];
        size_t ok = 0;
        double start = now();
        for (size_t i = 0; i < n; i++) {
            if (ocr) {
                int fd = open(paths[i], O_RDONLY);
                if (fd < 0) continue;
                if (read(fd, buffer, sizeof buffer) >= 0) ok++;
                close(fd);
            } else {
                struct stat st;
                if (stat(paths[i], &st) == 0) ok++;
            }
        }
        double elapsed = now() - start;
        printf("%.0f %zu\n", n / elapsed, ok);
        return 0;
    }
    if (!strcmp(argv[1], "read")) {
        int fd = open(argv[2], O_RDONLY);
        if (fd < 0) { perror(argv[2]); return 1; }
        size_t size = 1 << 20;
        char *buffer = aligned_alloc(4096, size);
        long long total = 0;
        ssize_t got;
        double start = now();
        while ((got = read(fd, buffer, size)) > 0) total += got;
        double elapsed = now() - start;
        close(fd);
        printf("%.1f %lld\n", total / elapsed / 1e6, total);
        return got < 0;
    }
    if (!strcmp(argv[1], "first")) {
        static char buffer[4096];
        double start = now();
        int fd = open(argv[2], O_RDONLY);
        if (fd < 0 || pread(fd, buffer, sizeof buffer, 0) != sizeof buffer) { perror(argv[2]); return 1; }
        printf("%.3f\n", (now() - start) * 1e3);
        close(fd);
        return 0;
    }
    if (!strcmp(argv[1], "list")) {
        double start = now();
        DIR *dir = opendir(argv[2]);
        if (!dir) { perror(argv[2]); return 1; }
        long entries = 0;
        while (readdir(dir)) entries++;
        closedir(dir);
        printf("%ld %.6f\n", entries, now() - start);
        return 0;
    }
    return 2;
}

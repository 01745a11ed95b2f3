#define _GNU_SOURCE
#include <spawn.h>
#include "cshims.h"

int opsbot_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

short opsbot_spawn_setsid_flag(void) {
#ifdef POSIX_SPAWN_SETSID
    return POSIX_SPAWN_SETSID;
#else
    return 0x80;
#endif
}


#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>

/* A mapping to release: private, not writable, backed by a file, and without a single page
   this process wrote (Anonymous: 0 kB), so dropping it loses nothing — the next touch reads
   the same bytes back from the page cache. Relocated data (RELRO) has anonymous pages and is
   never dropped; writable data never is either. */
long opsbot_release_clean_file_pages(void) {
    FILE *f = fopen("/proc/self/smaps", "re");
    if (!f) return -1;
    enum { max_ranges = 2048 };
    static unsigned long starts[max_ranges], ends[max_ranges];
    int count = 0;
    char line[4352];
    unsigned long start = 0, end = 0, rss = 0, anon = 0, released = 0;
    int candidate = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long s, e, inode;
        char perms[8];
        if (isxdigit((unsigned char)line[0]) && sscanf(line, "%lx-%lx %7s %*s %*s %lu", &s, &e, perms, &inode) == 4) {
            start = s; end = e;
            candidate = inode != 0 && strlen(perms) == 4 && perms[1] != 'w' && perms[3] == 'p';
            rss = 0; anon = 0;
        } else if (strncmp(line, "Rss:", 4) == 0) {
            rss = strtoul(line + 4, NULL, 10);
        } else if (strncmp(line, "Anonymous:", 10) == 0) {
            anon = strtoul(line + 10, NULL, 10);
        } else if (strncmp(line, "VmFlags:", 8) == 0) {
            int pinned = strstr(line, " lo") != NULL || strstr(line, " io") != NULL;
            if (candidate && !pinned && anon == 0 && rss > 0 && count < max_ranges) {
                starts[count] = start; ends[count] = end; count++;
                released += rss;
            }
            candidate = 0;
        }
    }
    fclose(f);
    for (int i = 0; i < count; i++) madvise((void *)starts[i], ends[i] - starts[i], MADV_DONTNEED);
    return (long)released;
}

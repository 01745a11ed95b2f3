#ifndef OPSBOT_CSHIMS_H
#define OPSBOT_CSHIMS_H
#include <spawn.h>

/// glibc's GNU spawn extensions, which Swift's Glibc module does not expose.
int opsbot_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
short opsbot_spawn_setsid_flag(void);

/// Drops the clean pages of this process's private read-only file mappings (code and constants
/// it read from its binary and libraries) from its page tables. Not thread-safe against itself:
/// one caller at a time. Returns the resident kB those mappings held (-1: no /proc).
long opsbot_release_clean_file_pages(void);

#endif

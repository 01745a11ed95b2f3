#ifndef OPSBOT_CSHIMS_H
#define OPSBOT_CSHIMS_H
#include <spawn.h>

/// glibc's GNU spawn extensions, which Swift's Glibc module does not expose.
int opsbot_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
short opsbot_spawn_setsid_flag(void);

#endif

#ifndef SEALBOX_CSODIUM_SHIM_H
#define SEALBOX_CSODIUM_SHIM_H
#include <sodium.h>

#ifdef __linux__
#include <sys/prctl.h>
/* prctl is variadic, which Swift cannot call: this fixed-argument wrapper marks the
   process not dumpable (no core file, no ptrace by other processes of the user). */
static inline int sealbox_set_not_dumpable(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}
#endif
#endif

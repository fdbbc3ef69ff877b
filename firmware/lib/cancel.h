/*
 * Set by the signal handler of main() (SIGINT, SIGTERM, SIGHUP): long
 * operations poll it between two steps and unwind through their normal
 * error paths, so that secrets are wiped before the process ends.
 */
#ifndef SCEAU_LIB_CANCEL_H
#define SCEAU_LIB_CANCEL_H

#include <signal.h>

extern volatile sig_atomic_t cancel_requested;

#endif

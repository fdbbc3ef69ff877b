/*
 * Crash points for the tests: fault_point("name") marks a step boundary of
 * a command (a phase written, a transaction committed, a file renamed into
 * place). In a build with CONFIG_SIMULATION_ALLOWED, two environment
 * variables act on them:
 *   SCEAU_FAULT_TRACE=FILE   appends the name of every point passed to FILE
 *                            (one line each), so a test can list them;
 *   SCEAU_FAULT_AT=NAME      ends the process at once, with _exit(137) and
 *   SCEAU_FAULT_PASS=N       no clean-up, as a kill -9 would, the Nth time
 *                            (default 1) the point NAME is passed;
 *   SCEAU_FAULT_STOP=1       stops it there instead (SIGSTOP), for a test
 *                            to act while it holds what it holds, then
 *                            let it go on (SIGCONT).
 * In every other build (no board enables simulation), fault_point() and
 * fault_pointf() are empty macros: no code, no environment read.
 */
#ifndef SCEAU_LIB_FAULT_H
#define SCEAU_LIB_FAULT_H

#define FAULT_EXIT 137   /* the status a test sees: 128 + SIGKILL */
#define FAULT_NAME_MAX 128

#ifdef CONFIG_SIMULATION_ALLOWED
void fault_point(const char *name);
/* The same with a name made from a format ("file:%s:before-rename"). */
void fault_pointf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#else
#define fault_point(name) ((void)0)
#define fault_pointf(...) ((void)0)
#endif

#endif

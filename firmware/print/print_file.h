/*
 * The `file` backend (CONFIG_PRINT_FILE): the job goes to a file, spec is
 * its path. It is written as <path>.tmp.<pid>, fsync'd and renamed into
 * place by finish(), so a failed job never leaves a file under its final
 * name; an existing file is never replaced (ERR_EXISTS). A path ending in
 * ".ps" answers as a PostScript printer, ".escpos" as an ESC/POS one, so
 * that the language choice can be rehearsed without a printer.
 */
#ifndef SCEAU_PRINT_PRINT_FILE_H
#define SCEAU_PRINT_PRINT_FILE_H

#include "print/print.h"

extern const struct print_ops print_file_ops;

#endif

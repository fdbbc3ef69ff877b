/* The process-wide cancellation flag; see cancel.h. */
#include "lib/cancel.h"

volatile sig_atomic_t cancel_requested;

# lib/: no election knowledge (errors, files, JSON helpers, hex, worker pool,
# ordered batches, cancellation, language and English catalogue). Includes
# nothing of Sceau's.
obj-y += firmware/lib/err.o
obj-y += firmware/lib/file.o
obj-y += firmware/lib/hex.o
obj-y += firmware/lib/cancel.o
obj-y += firmware/lib/pool.o
obj-y += firmware/lib/batch.o
obj-y += firmware/lib/json_util.o
obj-y += firmware/lib/i18n.o

# store/: the session store, in SQLite.
pkgs-y += sqlite3
obj-y += firmware/store/store.o
obj-y += firmware/store/journal.o

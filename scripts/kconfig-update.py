#!/usr/bin/python3
"""Brings an existing .config up to date after the Kconfig files changed.

    kconfig-update.py KCONFIG BOARD_DEFCONFIG CONFIG

Symbols the old CONFIG sets (to y or to "is not set") keep their values;
symbols it does not know take the board's defconfig value, then their
Kconfig default: a build directory made for a board stays that board's
after a pull, as a fresh one would be (olddefconfig alone would give new
symbols their Kconfig defaults, which are not the board's).
"""
import sys

import kconfiglib


def main():
    kconfig, defconfig, config = sys.argv[1:4]
    kconf = kconfiglib.Kconfig(kconfig, warn_to_stderr=False)
    kconf.load_config(defconfig)
    kconf.load_config(config, replace=False)
    kconf.write_config(config)


if __name__ == "__main__":
    main()

# Sceau: firmware of the offline counting box, its host tools and its tests.
#
#   make demo        set up, build, run a whole simulated election (README.md)
#   make check       set up, build, run every test (plain, then ASan+UBSan, then fuzz)
#   make deps        install Debian packages and tools/web's npm packages, build mbedTLS 3.6 LTS into build/
#   make defconfig   host simulation config (board/host-sim/defconfig)
#   make <box>_defconfig, make menuconfig, make savedefconfig
#   make O=dir ...   build in another output directory (default: build)
#
# Each module lists its objects in firmware/<module>/Build.mk:
#   obj-y += ...            always built
#   obj-$(CONFIG_X) += ...  built iff CONFIG_X=y
# Every object is compiled with -include of the generated autoconf header.

O ?= build
BOARD ?= host-sim
SANITIZE ?=
FUZZ ?=
V ?= 0
# Compile jobs of the check, demo and bench builds (tests themselves run one by one).
JOBS ?= $(shell nproc 2>/dev/null || echo 1)

PYTHON := /usr/bin/python3
KCONFIGLIB := /usr/lib/python3/dist-packages
export KCONFIG_CONFIG := $(O)/.config
AUTOCONF := $(O)/include/generated/autoconf.h

MBEDTLS_DIR := build/mbedtls
MBEDTLS_ENV := $(MBEDTLS_DIR)/mbedtls.mk

ifeq ($(V),0)
Q := @
else
Q :=
endif

-include $(KCONFIG_CONFIG)
-include $(MBEDTLS_ENV)

# --- objects and libraries, from each module's Build.mk ----------------------
# obj-$(CONFIG_X) += dir/x.o          compiled iff CONFIG_X=y
# pkgs-$(CONFIG_X) += package         pkg-config package linked iff CONFIG_X=y
# pkgs-cflags-$(CONFIG_X) += package  its headers only (a simulator using a
#                                     library's types, never its code)
# So the .config alone decides what every program links (docs/BUILD.md).
obj-y :=
pkgs-y :=
pkgs-cflags-y :=
tools-y :=
include $(wildcard firmware/*/Build.mk)
include tools/Build.mk
PKGS := $(sort $(pkgs-y))
PKGS_CFLAGS := $(sort $(pkgs-y) $(pkgs-cflags-y))

CC ?= cc
CSTD := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -Wno-format-nonliteral
HARDEN := -fstack-protector-strong -fno-strict-aliasing
OPT := -O2 -g
ifeq ($(SANITIZE),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
LDSAN := -fsanitize=address,undefined
else ifeq ($(FUZZ),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
LDSAN := -fsanitize=address,undefined
else
HARDEN += -D_FORTIFY_SOURCE=2
endif

CPPFLAGS_ALL := -Ifirmware -I$(O)/include $(MBEDTLS_CFLAGS) \
	$(shell pkg-config --cflags $(PKGS_CFLAGS) 2>/dev/null) -include $(AUTOCONF) \
	-DSCEAU_BUILD_LOCALEDIR='"$(abspath $(O))/locale"'
CFLAGS_ALL := $(CSTD) $(OPT) $(WARN) $(HARDEN) $(CFLAGS)
LDLIBS_ALL := $(MBEDTLS_LIBS) $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
	-lpthread -lm
LDFLAGS_ALL := $(LDSAN) $(LDFLAGS)

LIB_OBJS := $(addprefix $(O)/,$(obj-y))
MAIN_OBJ := $(O)/firmware/main.o
LIB := $(O)/libsceau.a

TESTS ?= *
TEST_SRCS := $(wildcard $(patsubst %,tests/%/test_*.c,$(TESTS)))
TEST_HELPERS := $(wildcard tests/support/*.c)
TEST_BINS := $(patsubst %.c,$(O)/%,$(TEST_SRCS))
TEST_HELPER_OBJS := $(patsubst %.c,$(O)/%.o,$(TEST_HELPERS))
TOOL_BINS := $(addprefix $(O)/,$(tools-y))
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst %.c,$(O)/%,$(FUZZ_SRCS))
PO_FILES := $(wildcard po/*.po)
MO_FILES := $(patsubst po/%.po,$(O)/locale/%/LC_MESSAGES/sceau.mo,$(PO_FILES))

.PHONY: all deps defconfig menuconfig savedefconfig olddefconfig tests check check-layers \
	check-plain check-asan check-boards run-tests fuzz fuzz-build demo demo-console bench bench-1m bench-import-1m clean \
	distclean print-pkgs

# The box's program needs a card transport (the ceremony, the count and
# the PV signatures use cards): a configuration without one (CARD off)
# builds the host tools alone (firmware/card/Kconfig).
BOX_BIN := $(if $(CONFIG_CARD_HAS_TRANSPORT),$(O)/sceau)

all: $(BOX_BIN) $(TOOL_BINS) $(MO_FILES)
	$(if $(BOX_BIN),,@echo "no card transport in $(KCONFIG_CONFIG): host tools only" \
		"(firmware/card/Kconfig)")

# --- message catalogues (po/<lang>.po; French is the msgid, docs/LANGUAGES.md) --
$(O)/locale/%/LC_MESSAGES/sceau.mo: po/%.po
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  MSGFMT  $<")
	$(Q)msgfmt --check -o $@ $<

# --- configuration ------------------------------------------------------------
KCONFIG_FILES := Kconfig $(shell find firmware -name 'Kconfig*')

# A new configuration from the board's defconfig (the board is noted in
# $(O)/.board); an existing one is brought up to date when the Kconfig files
# change: new symbols take the board's values, as in a fresh build directory,
# so the objects listed (from .config) and autoconf.h never disagree after a pull.
# A .config whose board is not noted (made by hand, or by an older Makefile)
# is never given another board's values: its new symbols take their Kconfig
# defaults (olddefconfig).
$(KCONFIG_CONFIG): $(KCONFIG_FILES)
	$(Q)mkdir -p $(O)
	$(Q)if [ -f $@ ] && [ -s $(O)/.board ]; then $(PYTHON) scripts/kconfig-update.py \
		Kconfig board/$$(cat $(O)/.board)/defconfig $@; \
	elif [ -f $@ ]; then echo "$(O)/.board missing: new Kconfig symbols take their" \
		"defaults (make BOARD_defconfig starts afresh)"; \
		$(PYTHON) $(KCONFIGLIB)/olddefconfig.py Kconfig >/dev/null; \
	else $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig board/$(BOARD)/defconfig \
		&& echo $(BOARD) > $(O)/.board; fi
	$(Q)touch $@

defconfig:
	$(Q)mkdir -p $(O)
	$(Q)$(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig board/host-sim/defconfig
	$(Q)echo host-sim > $(O)/.board

%_defconfig:
	$(Q)test -f board/$*/defconfig || { echo "no board '$*' (see board/)"; exit 1; }
	$(Q)mkdir -p $(O)
	$(Q)$(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig board/$*/defconfig
	$(Q)echo $* > $(O)/.board

menuconfig: $(KCONFIG_CONFIG)
	$(Q)$(PYTHON) $(KCONFIGLIB)/menuconfig.py Kconfig

olddefconfig: $(KCONFIG_CONFIG)
	$(Q)$(PYTHON) $(KCONFIGLIB)/olddefconfig.py Kconfig

savedefconfig: $(KCONFIG_CONFIG)
	$(Q)$(PYTHON) $(KCONFIGLIB)/savedefconfig.py --kconfig Kconfig --out $(O)/defconfig
	@echo "minimal config written to $(O)/defconfig"

$(AUTOCONF): $(KCONFIG_CONFIG) $(KCONFIG_FILES)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(PYTHON) $(KCONFIGLIB)/genconfig.py --header-path $@.tmp Kconfig
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# The pkg-config packages this configuration links, and those whose headers
# alone it uses (tests/build/test_link_pkgs.sh).
print-pkgs: $(KCONFIG_CONFIG)
	@echo "linked: $(PKGS)"
	@echo "headers only: $(filter-out $(PKGS),$(PKGS_CFLAGS))"

# --- dependencies -------------------------------------------------------------
deps:
	$(Q)scripts/deps.sh
	$(Q)scripts/web-deps.sh
	$(Q)scripts/mbedtls.sh $(MBEDTLS_DIR) firmware/crypto/mbedtls_config.h

$(MBEDTLS_DIR)/.ok:
	@echo "mbedTLS 3.6 is not set up: run 'make deps' (or 'make demo'/'make check')" >&2
	@exit 1

# --- compilation --------------------------------------------------------------
$(O)/%.o: %.c $(AUTOCONF) | $(MBEDTLS_DIR)/.ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/sceau: $(MAIN_OBJ) $(LIB)
	$(if $(CONFIG_CARD_HAS_TRANSPORT),,@echo "no card transport in $(KCONFIG_CONFIG):" \
		"the box's program is not built (firmware/card/Kconfig)" >&2; exit 1)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(O)/sceau-%: $(O)/tools/%.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(O)/tests/%: $(O)/tests/%.o $(TEST_HELPER_OBJS) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) -lcmocka

$(O)/tests/fuzz/fuzz_%: $(O)/tests/fuzz/fuzz_%.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_ALL)

# --- tests --------------------------------------------------------------------
tests: $(TEST_BINS)

# Runs every unit test binary and every scripted test against the build in $(O).
run-tests: all tests
	$(Q)SCEAU_SANITIZE=$(SANITIZE) scripts/run-tests.sh $(O) '$(TESTS)'

# The test builds always start from the host simulation defconfig, so a
# stale .config never hides a new option.
check-plain: deps
	$(Q)$(MAKE) --no-print-directory O=build/check host-sim_defconfig >/dev/null
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) O=build/check BOARD=host-sim run-tests

check-asan: deps
	$(Q)$(MAKE) --no-print-directory O=build/asan host-sim_defconfig >/dev/null
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) O=build/asan BOARD=host-sim SANITIZE=1 run-tests

fuzz-build: deps
	$(Q)$(MAKE) --no-print-directory O=build/fuzz host-sim_defconfig >/dev/null
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) O=build/fuzz BOARD=host-sim FUZZ=1 CC=clang fuzz-bins

.PHONY: fuzz-bins
fuzz-bins: $(FUZZ_BINS)

# Short fuzzing of every parser (FUZZ_SECONDS each); `make fuzz FUZZ_SECONDS=3600`
# for a long run.
FUZZ_SECONDS ?= 10
fuzz: fuzz-build
	$(Q)scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS)

# The real boxes' configurations (no simulation; ccid, nfc, printers) must
# build with -Werror too, though their hardware paths only run on a box; and
# the box's program must link neither pcsclite, zbar, libjpeg, poppler,
# OpenSSL's libcrypto, nor anything simulated. It is linked with --no-as-needed, so that what the check sees
# is the link line the .config gave, whatever the toolchain drops by itself.
check-boards: deps
	$(Q)$(MAKE) --no-print-directory O=build/check-pc pc-x86_64_defconfig >/dev/null
	$(Q)rm -f build/check-pc/sceau
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) O=build/check-pc BOARD=pc-x86_64 \
		LDFLAGS="$(LDFLAGS) -Wl,--no-as-needed" all
	$(Q)scripts/check-box-links.sh build/check-pc/sceau

# Every include points down the layers of docs/ARCHITECTURE.md.
check-layers:
	$(Q)scripts/check-layers.sh

check: deps
	$(Q)scripts/check-layers.sh
	$(Q)$(MAKE) --no-print-directory check-boards
	$(Q)$(MAKE) --no-print-directory check-plain
	$(Q)$(MAKE) --no-print-directory check-asan
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(or $(CHECK_FUZZ_SECONDS),8)
	$(Q)scripts/summary.sh build/check build/asan build/fuzz

# --- demo ---------------------------------------------------------------------
demo: deps
	$(Q)$(MAKE) --no-print-directory O=build/demo host-sim_defconfig >/dev/null
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) O=build/demo BOARD=host-sim all
	$(Q)scripts/demo.sh build/demo

# The same demo election, held by hand in the full-screen console
# (DEMO_STAGE=count: ceremony and vote already done, straight to the count).
demo-console: deps
	$(Q)$(MAKE) --no-print-directory O=build/demo host-sim_defconfig >/dev/null
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) O=build/demo BOARD=host-sim all
	$(Q)DEMO_STAGE=$(DEMO_STAGE) scripts/demo-console.sh build/demo

# Performance against the raw mbedTLS rate of this machine (docs/PERFORMANCE.md).
bench: deps
	$(Q)$(MAKE) --no-print-directory O=build/bench BOARD=host-sim all
	$(Q)scripts/bench.sh build/bench $(or $(BENCH_BALLOTS),100000)

bench-import-1m: deps
	$(Q)$(MAKE) --no-print-directory O=build/bench BOARD=host-sim all
	$(Q)BENCH_IMPORT_ONLY=1 scripts/bench.sh build/bench 1000000

bench-1m: deps
	$(Q)$(MAKE) --no-print-directory O=build/bench BOARD=host-sim all
	$(Q)scripts/bench.sh build/bench 1000000

clean:
	rm -rf $(O)/firmware $(O)/tools $(O)/tests $(O)/sceau $(O)/sceau-* $(LIB) $(O)/include \
		$(O)/locale

distclean:
	rm -rf build

# Test and tool objects are intermediate files of implicit rules: keep them,
# and follow their header dependencies too.
.SECONDARY:
-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BINS:=.d) \
	$(TEST_HELPER_OBJS:.o=.d) $(patsubst %,$(O)/tools/%.d,$(tools-y:sceau-%=%))

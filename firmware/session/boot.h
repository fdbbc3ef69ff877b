/*
 * Start-up checks every session runs before touching a card (docs/DESIGN.md
 * "Security properties"): the air gap, the crypto self-tests and RNG health,
 * and the firmware's own fingerprint for the journal and the reports.
 */
#ifndef SCEAU_SESSION_BOOT_H
#define SCEAU_SESSION_BOOT_H

#include <stddef.h>
#include <stdint.h>

/* A network interface other than loopback is up (value reserved in
 * lib/err.h). */
enum boot_err { ERR_AIRGAP = -17 };

/* Names of the interfaces other than loopback that are up, comma-separated
 * in `up` ("" if none). 0, or ERR_AIRGAP if any is up. */
int boot_airgap(char *up, size_t n);
/* The firmware fingerprint: SHA-256 of the box image the box booted from
 * (CONFIG_FIRMWARE_BOOT_MEDIUM), else of the running executable. */
int boot_firmware_hash(uint8_t out[32]);
/* 1 if this build allows simulation (CONFIG_SIMULATION_ALLOWED). */
int boot_simulation_build(void);

struct ui;
/* Runs every check above and the crypto self-tests, telling the bureau each
 * outcome. 0, ERR_AIRGAP (a network is up on a real box), or the error of
 * the failed self-test. */
int boot_check(struct ui *u);

/* What an ERR_* code means, for the bureau: msg_err() (ui/msg.h), which
 * sits below session and cannot name ERR_AIRGAP, plus ERR_AIRGAP. */
const char *boot_err_text(int err);

#endif

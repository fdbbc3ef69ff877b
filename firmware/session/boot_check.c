/* The start-up checks told to the bureau; see boot.h. */
#include "session/boot.h"
#include "lib/err.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/selftest.h"
#include "ui/msg.h"
#include "ui/ui.h"

static int boot_check_airgap(struct ui *u)
{
	char up[256];
	int sim = boot_simulation_build();

	if (boot_airgap(up, sizeof(up)) == 0) {
		ui_say(u, UI_OK, "%s", msg(MSG_AIRGAP_OK));
		return 0;
	}
	ui_say(u, sim ? UI_WARN : UI_ERROR, msg(sim ? MSG_AIRGAP_SIM : MSG_AIRGAP_FAIL), up);
	return sim ? 0 : ERR_AIRGAP;
}

const char *boot_err_text(int err)
{
	return err == ERR_AIRGAP ? msg(MSG_E_AIRGAP) : msg_err(err);
}

int boot_check(struct ui *u)
{
	uint8_t fw[32];
	char hex[65];
	int ret, airgap;

	if (boot_simulation_build())
		ui_say(u, UI_WARN, "%s", msg(MSG_SIM_BUILD));
	ret = crypto_selftest();
	if (ret)
		return ret;
	ui_say(u, UI_OK, msg(MSG_SELFTEST_CRYPTO_OK), crypto_library_version());
	ret = rng_health();
	if (ret)
		return ret;
	ui_say(u, UI_OK, "%s", msg(MSG_SELFTEST_RNG_OK));
	airgap = boot_check_airgap(u);
	ret = boot_firmware_hash(fw);
	if (ret)
		return ret;
	hex_encode(fw, 32, hex);
	ui_say(u, UI_OK, msg(MSG_FIRMWARE_HASH), hex);
	return airgap;
}

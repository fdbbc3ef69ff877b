/*
 * The `nfc` transport: the NFC engine (card_nfc.c) over libnfc itself. The
 * only file that names libnfc's functions.
 */
#include <nfc/nfc.h>
#include <stdlib.h>

#include "card/nfc_dev.h"

/*
 * At debug level libnfc hex-dumps every frame to stderr, VERIFY and its PIN
 * included. libnfc 1.8's nfc_context_new reads /etc/nfc/libnfc.conf first,
 * then LIBNFC_LOG_LEVEL, which wins, and log_put reads the variable at each
 * call: logging is off whatever the file says. (A libnfc built without its
 * ENVVARS option ignores the variable; see docs/HARDWARE.md.) Cards are
 * opened before the engine starts its worker threads, so setenv is safe.
 */
static void card_nfc_libnfc_init(nfc_context **ctx)
{
	setenv("LIBNFC_LOG_LEVEL", "0", 1);
	nfc_init(ctx);
}

const struct card_nfc_dev card_nfc_libnfc = {
	.init = card_nfc_libnfc_init,
	.exit = nfc_exit,
	.list_devices = nfc_list_devices,
	.open = nfc_open,
	.close = nfc_close,
	.initiator_init = nfc_initiator_init,
	.device_set_property_bool = nfc_device_set_property_bool,
	.initiator_list_passive_targets = nfc_initiator_list_passive_targets,
	.initiator_select_passive_target = nfc_initiator_select_passive_target,
	.initiator_transceive_bytes = nfc_initiator_transceive_bytes,
	.initiator_target_is_present = nfc_initiator_target_is_present,
	.initiator_deselect_target = nfc_initiator_deselect_target,
	.strerror = nfc_strerror,
	.device_get_name = nfc_device_get_name,
};

static int card_nfc_libnfc_open(const char *spec, struct card **out)
{
	return card_nfc_open_with(&card_nfc_libnfc, &card_nfc_ops, spec, out);
}

const struct card_ops card_nfc_ops = {
	.name = "nfc",
	.open = card_nfc_libnfc_open,
	.present = card_nfc_present,
	.connect = card_nfc_connect,
	.transmit = card_nfc_transmit,
	.close = card_nfc_close,
};

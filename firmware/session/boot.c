/* Start-up checks: air gap and firmware fingerprint. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include "session/boot.h"
#include "lib/err.h"
#include "crypto/hash.h"
#include "media/box.h"

#ifndef CONFIG_FIRMWARE_BOOT_MEDIUM
#define CONFIG_FIRMWARE_BOOT_MEDIUM ""
#endif

static void boot_append(char *up, size_t n, const char *name)
{
	size_t len = strlen(up), add = strlen(name);

	if (strstr(up, name))
		return;
	if (len + add + 3 > n)
		return;
	if (len) {
		memcpy(up + len, ", ", 2);
		len += 2;
	}
	memcpy(up + len, name, add + 1);
}

int boot_airgap(char *up, size_t n)
{
	struct ifaddrs *ifs, *i;

	if (n)
		up[0] = '\0';
	if (getifaddrs(&ifs) != 0) {
		err_detail("getifaddrs: %s", strerror(errno));
		return ERR_IO;
	}
	for (i = ifs; i; i = i->ifa_next)
		if ((i->ifa_flags & IFF_UP) && !(i->ifa_flags & IFF_LOOPBACK))
			boot_append(up, n, i->ifa_name);
	freeifaddrs(ifs);
	return up[0] ? ERR_AIRGAP : 0;
}

/* SHA-256 of the running executable. */
static int boot_exe_hash(uint8_t out[32])
{
	struct hash_ctx *h = NULL;
	uint8_t buf[65536];
	ssize_t r;
	int fd, ret;

	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_detail("/proc/self/exe: %s", strerror(errno));
		return ERR_IO;
	}
	ret = hash_begin(&h);
	while (ret == 0 && (r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		ret = r < 0 ? ERR_IO : hash_update(h, buf, (size_t)r);
	}
	close(fd);
	if (ret) {
		hash_abort(h);
		return ret;
	}
	return hash_final(h, out);
}

/* SHA-256 of the image on the medium the box booted from. */
static int boot_medium_hash(const char *mountpoint, uint8_t out[32])
{
	char dev[64], why[256];
	uint64_t size = 0;
	int fd, ret = media_boot_disk(mountpoint, dev, sizeof(dev));

	if (ret)
		return ret;
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_detail("%s: %s", dev, strerror(errno));
		return ERR_IO;
	}
	ret = media_volume_hash(fd, out, &size);
	close(fd);
	if (ret) {
		snprintf(why, sizeof(why), "%s", err_last_detail());
		err_detail("boot medium %s: %s", dev, why);
	}
	return ret;
}

/* Computed once per process: the medium does not change under the box, and
 * hashing a whole image takes seconds. */
int boot_firmware_hash(uint8_t out[32])
{
	static uint8_t cached[32];
	static int have;
	int ret = 0;

	if (!have)
		ret = CONFIG_FIRMWARE_BOOT_MEDIUM[0] ?
		      boot_medium_hash(CONFIG_FIRMWARE_BOOT_MEDIUM, cached) :
		      boot_exe_hash(cached);
	if (ret)
		return ret;
	have = 1;
	memcpy(out, cached, 32);
	return 0;
}

int boot_simulation_build(void)
{
#ifdef CONFIG_SIMULATION_ALLOWED
	return 1;
#else
	return 0;
#endif
}

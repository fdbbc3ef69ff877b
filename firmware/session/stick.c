/* The bureau's USB sticks; see stick.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "media/box.h"
#include "session/stick.h"
#include "ui/msg.h"
#include "ui/ui.h"

#ifndef CONFIG_FIRMWARE_BOOT_MEDIUM
#define CONFIG_FIRMWARE_BOOT_MEDIUM ""
#endif

#define STICK_MOUNT "/run/sceau-stick"
#define STICK_DIR "SCEAU"
#define STICK_MAX 8
#define STICK_PATH 4096

/* What comes in (organiser's files, the ceremony's public output). */
static const char *const stick_in[] = {
	"input/election.json", "input/bureau.json", "input/platform-key.json",
	"ceremony/record.json", "ceremony/election.json",
};

/* What goes out: these directories' files (not their subdirectories) and
 * these files, when dir has them. session.db is in the archive. */
static const char *const stick_out_dirs[] = { "ceremony", "session/pv" };
static const char *const stick_out_files[] = {
	"session/results.json", "session/archive.iso",
};

struct stick_find {
	int writable;            /* an export stick: not write-protected */
	struct media_stick found;
};

static void stick_boot_disk(char *dev, size_t n)
{
	dev[0] = '\0';
	if (CONFIG_FIRMWARE_BOOT_MEDIUM[0] &&
	    media_boot_disk(CONFIG_FIRMWARE_BOOT_MEDIUM, dev, n) != 0)
		dev[0] = '\0';
}

/* ui_wait's test: exactly one stick of the kind wanted is plugged. */
static int stick_ready(void *arg)
{
	struct stick_find *f = arg;
	struct media_stick s[STICK_MAX];
	unsigned n = 0, good = 0;
	char boot[64];

	stick_boot_disk(boot, sizeof(boot));
	if (media_sticks(boot, s, STICK_MAX, &n) != 0)
		return 0;
	for (unsigned i = 0; i < n; i++)
		if (!f->writable || !s[i].readonly) {
			f->found = s[i];
			good++;
		}
	return good == 1 && n == 1;
}

/* Copies src to dst in chunks (an archive image may be large), synced. */
static int stick_copy(const char *src, const char *dst)
{
	static char buf[1u << 20];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, ret = 0;
	ssize_t r;

	if (in >= 0)
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in < 0 || out < 0) {
		err_detail("%s: %s", in < 0 ? src : dst, strerror(errno));
		ret = ERR_IO;
	}
	while (!ret && (r = read(in, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		ret = r < 0 ? ERR_IO : file_write_all(out, buf, (size_t)r);
	}
	if (!ret && fsync(out) != 0)
		ret = ERR_IO;
	if (ret && !*err_last_detail())
		err_detail("%s: %s", dst, strerror(errno));
	if (out >= 0 && close(out) != 0 && !ret)
		ret = ERR_IO;
	if (in >= 0)
		close(in);
	return ret;
}

static int stick_join(char *out, const char *a, const char *b, const char *c)
{
	int r = snprintf(out, STICK_PATH, "%s/%s%s%s", a, b, c[0] ? "/" : "", c);

	return r < 0 || r >= STICK_PATH ? ERR_RANGE : 0;
}

static int stick_mount_one(struct stick_find *f, struct ui *u, enum msg_id ask)
{
	int ret = ui_wait(u, stick_ready, f, "%s", msg(ask));

	if (ret == ERR_CANCELLED)
		err_detail("no USB stick");
	if (!ret)
		ret = media_stick_mount(&f->found, STICK_MOUNT, f->writable);
	if (!ret)
		ui_say(u, UI_INFO, msg(MSG_STICK_FOUND), f->found.dev);
	return ret;
}

/* The files of stick_in that the stick has and dir lacks. */
static int stick_load_files(const char *dir, struct ui *u, unsigned *copied)
{
	char src[STICK_PATH], dst[STICK_PATH], sub[STICK_PATH];
	int ret = 0;

	for (size_t i = 0; !ret && i < sizeof(stick_in) / sizeof(stick_in[0]); i++) {
		ret = stick_join(src, STICK_MOUNT "/" STICK_DIR, stick_in[i], "");
		if (!ret)
			ret = stick_join(dst, dir, stick_in[i], "");
		if (ret || access(src, F_OK) != 0)
			continue;
		if (access(dst, F_OK) == 0) {
			ui_say(u, UI_INFO, msg(MSG_STICK_KEPT), stick_in[i]);
			continue;
		}
		snprintf(sub, sizeof(sub), "%s", dst);
		*strrchr(sub, '/') = '\0';
		ret = file_mkdirs(sub);
		if (!ret)
			ret = stick_copy(src, dst);
		if (!ret) {
			ui_say(u, UI_OK, msg(MSG_STICK_COPIED), stick_in[i]);
			(*copied)++;
		}
	}
	return ret;
}

int stick_load(const char *dir, struct ui *u)
{
	struct stick_find f = { .writable = 0 };
	unsigned copied = 0;
	int ret, r2;

	ui_say(u, UI_STEP, "%s", msg(MSG_CON_MENU_LOAD));
	ret = stick_mount_one(&f, u, MSG_STICK_INSERT_IN);
	if (ret)
		return ret;
	ret = stick_load_files(dir, u, &copied);
	r2 = media_stick_umount(STICK_MOUNT);
	ret = ret ? ret : r2;
	if (!ret && copied == 0) {
		ui_say(u, UI_WARN, "%s", msg(MSG_STICK_NOTHING));
		err_detail("no new file in " STICK_DIR "/ on %s", f.found.dev);
		ret = ERR_NOTFOUND;
	}
	if (!ret)
		ui_say(u, UI_OK, "%s", msg(MSG_STICK_REMOVE));
	return ret;
}

/* Copies one file of dir to the same place under SCEAU/ on the stick. */
static int stick_put(const char *dir, const char *rel, struct ui *u, unsigned *copied)
{
	char src[STICK_PATH], dst[STICK_PATH], sub[STICK_PATH];
	struct stat st;
	int ret = stick_join(src, dir, rel, "");

	if (!ret)
		ret = stick_join(dst, STICK_MOUNT "/" STICK_DIR, rel, "");
	if (ret || stat(src, &st) != 0 || !S_ISREG(st.st_mode))
		return ret;
	snprintf(sub, sizeof(sub), "%s", dst);
	*strrchr(sub, '/') = '\0';
	ret = file_mkdirs(sub);
	if (!ret)
		ret = stick_copy(src, dst);
	if (!ret) {
		ui_say(u, UI_OK, msg(MSG_STICK_COPIED), rel);
		(*copied)++;
	}
	return ret;
}

static int stick_put_dir(const char *dir, const char *rel, struct ui *u, unsigned *copied)
{
	char path[STICK_PATH], one[STICK_PATH];
	struct dirent *e;
	DIR *d;
	int ret = stick_join(path, dir, rel, "");

	if (ret || !(d = opendir(path)))
		return ret;
	while (!ret && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && !stick_join(one, rel, e->d_name, ""))
			ret = stick_put(dir, one, u, copied);
	closedir(d);
	return ret;
}

int stick_export(const char *dir, struct ui *u)
{
	struct stick_find f = { .writable = 1 };
	unsigned copied = 0;
	int ret, r2;

	ui_say(u, UI_STEP, "%s", msg(MSG_CON_MENU_EXPORT));
	ret = stick_mount_one(&f, u, MSG_STICK_INSERT_OUT);
	if (ret)
		return ret;
	for (size_t i = 0; !ret && i < sizeof(stick_out_dirs) / sizeof(stick_out_dirs[0]); i++)
		ret = stick_put_dir(dir, stick_out_dirs[i], u, &copied);
	for (size_t i = 0; !ret && i < sizeof(stick_out_files) / sizeof(stick_out_files[0]); i++)
		ret = stick_put(dir, stick_out_files[i], u, &copied);
	r2 = media_stick_umount(STICK_MOUNT);
	ret = ret ? ret : r2;
	if (!ret && copied == 0) {
		err_detail("nothing to export in %s", dir);
		ret = ERR_NOTFOUND;
	}
	if (!ret)
		ui_say(u, UI_OK, "%s", msg(MSG_STICK_REMOVE));
	return ret;
}

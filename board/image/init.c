/*
 * sceau-init: process 1 of the box image (docs/BOX.md). It exists so that
 * the box runs one program and nothing else, and so that an auditor reads
 * in this one file everything that runs once the kernel and live-boot's
 * initramfs hand over:
 *   - Ctrl-Alt-Del and the magic SysRq key are switched off;
 *   - the drivers listed in /etc/sceau/modules are loaded (USB controllers,
 *     USB sticks, CD/DVD drives, keyboards, the printer class: the image
 *     holds no other kernel module, and none for a network);
 *   - the bureau's console (`sceau console`) runs on tty1, as root, with no
 *     login; when it ends with an error or a signal it is started again
 *     (the session resumes from its working directory, docs/CONSOLE.md);
 *     when the bureau quits it, the box powers off.
 * No getty, no shell, no other service: there is nothing else to start.
 * Why a program of its own rather than systemd: systemd would have to be
 * told not to start a getty on every console (logind's autovt, the serial
 * getty generator), not to offer its emergency and debug shells, not to
 * turn on swap partitions it discovers, and to ignore Ctrl-Alt-Del: each a
 * unit to mask, and an auditor would have to check that none was missed.
 *
 * Test mode: the kernel command line of a test boot (never the one of the
 * image's own boot loader, board/image/grub.cfg, which nobody can edit)
 * may hold `sceau.console=ttyS0`: the console then runs on the first
 * serial port instead of tty1, and a report of the box's state (network
 * interfaces, swap, mounts, sectors written per disk, modules) goes to the
 * second serial port at start-up and whenever the console ends
 * (tests/image/test_image_boot.sh reads it). Without the flag, nothing of
 * the box is ever on a serial port.
 *
 * Linked statically against the C library alone.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define INIT_SCEAU "/usr/bin/sceau"
#define INIT_MODPROBE "/usr/sbin/modprobe"
#define INIT_MODULES "/etc/sceau/modules"
#define INIT_TEST_FLAG "sceau.console=ttyS0"
#define INIT_TTY "/dev/tty1"
#define INIT_TEST_TTY "/dev/ttyS0"
#define INIT_REPORT_TTY "/dev/ttyS1"
#define INIT_MAX_MODULES 120

static void init_log(const char *what)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	dprintf(fd, "sceau-init: %s\n", what);
	close(fd);
}

static void init_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		init_log(path);
	close(fd);
}

/* Reads a small file whole; its length, or -1. */
static ssize_t init_read(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < cap - 1 && (n = read(fd, buf + got, cap - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

/* 1 if the kernel command line holds the test flag as a whole word. */
static int init_test_mode(void)
{
	static char line[4096];
	size_t len = strlen(INIT_TEST_FLAG);
	char *p;

	if (init_read("/proc/cmdline", line, sizeof(line)) <= 0)
		return 0;
	for (p = line; (p = strstr(p, INIT_TEST_FLAG)) != NULL; p += len)
		if ((p == line || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\n' || p[len] == '\0'))
			return 1;
	return 0;
}

/* The kernel's file systems, unless live-boot already moved them into the
 * new root; /tmp in RAM like everything else. */
static void init_mounts(void)
{
	if (access("/proc/self", F_OK) != 0)
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (access("/sys/kernel", F_OK) != 0)
		mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (access("/dev/null", F_OK) != 0)
		mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
}

/* The child's side of init_run: its terminal, then the program. */
static void init_child(char *const argv[], const char *tty, char *const envp[])
{
	sigset_t none;
	int fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (tty) {
		setsid();
		fd = open(tty, O_RDWR | O_NOCTTY);
		if (fd < 0 || ioctl(fd, TIOCSCTTY, 1) < 0)
			_exit(127);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	execve(argv[0], argv, envp);
	_exit(127);
}

/* Runs argv and waits for it, reaping whatever else ends meanwhile; its
 * exit status, 128 + the signal that ended it, or -1. */
static int init_run(char *const argv[], const char *tty, char *const envp[])
{
	int status = 0;
	pid_t pid = fork(), got;

	if (pid < 0)
		return -1;
	if (pid == 0)
		init_child(argv, tty, envp);
	while ((got = wait(&status)) != pid)
		if (got < 0 && errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Loads the drivers listed in /etc/sceau/modules, one name per line. */
static void init_modules(void)
{
	static char buf[8192];
	char *argv[INIT_MAX_MODULES + 4] = { INIT_MODPROBE, "-a", "-q" };
	char *envp[] = { "PATH=/usr/sbin:/usr/bin", NULL };
	int argc = 3;

	if (init_read(INIT_MODULES, buf, sizeof(buf)) < 0) {
		init_log("no module list");
		return;
	}
	for (char *p = buf, *nl; *p && argc < INIT_MAX_MODULES + 3; p = nl) {
		nl = p + strcspn(p, "\n");
		if (*nl)
			*nl++ = '\0';
		if (*p && *p != '#')
			argv[argc++] = p;
	}
	argv[argc] = NULL;
	if (init_run(argv, NULL, envp) != 0)
		init_log("some drivers did not load");
}

/* Test mode: one file of the box's state copied to the report port. */
static void init_report_file(int out, const char *title, const char *path)
{
	static char buf[65536];

	dprintf(out, "== %s\n", title);
	if (init_read(path, buf, sizeof(buf)) > 0 && write(out, buf, strlen(buf)) < 0)
		init_log("report");
}

/* Test mode: the entries of a sysfs directory, and per block device the
 * sectors written since boot (the 7th field of its stat file). */
static void init_report_dir(int out, const char *title, const char *dir, int disks)
{
	char path[512], stat[512];
	struct dirent *e;
	DIR *d = opendir(dir);
	unsigned long long f[7];

	dprintf(out, "== %s\n", title);
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (!disks) {
			dprintf(out, "%s\n", e->d_name);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s/stat", dir, e->d_name);
		if (init_read(path, stat, sizeof(stat)) > 0 &&
		    sscanf(stat, "%llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
			   &f[3], &f[4], &f[5], &f[6]) == 7)
			dprintf(out, "%s %llu\n", e->d_name, f[6]);
	}
	if (d)
		closedir(d);
}

static void init_report(const char *why)
{
	int out = open(INIT_REPORT_TTY, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (out < 0)
		return;
	dprintf(out, "SCEAU-REPORT BEGIN %s\n", why);
	init_report_dir(out, "net", "/sys/class/net", 0);
	init_report_file(out, "swaps", "/proc/swaps");
	init_report_file(out, "mounts", "/proc/mounts");
	init_report_dir(out, "written", "/sys/block", 1);
	init_report_file(out, "modules", "/proc/modules");
	init_report_file(out, "cmdline", "/proc/cmdline");
	dprintf(out, "SCEAU-REPORT END %s\n", why);
	close(out);
}

/* A serial line has no size of its own: the test's terminal is 100 x 32. */
static void init_serial_size(void)
{
	struct winsize ws = { .ws_row = 32, .ws_col = 100 };
	int fd = open(INIT_TEST_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return;
	ioctl(fd, TIOCSWINSZ, &ws);
	close(fd);
}

static void init_pause(void)
{
	struct timespec ts = { 1, 0 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The console, again and again; returns when the bureau quits it. */
static void init_console(int test)
{
	char *argv[] = { INIT_SCEAU, "console", NULL };
	char *envp[] = { "PATH=/usr/sbin:/usr/bin", "HOME=/var/lib/sceau",
			 test ? "TERM=xterm-256color" : "TERM=linux", NULL };
	int status;

	for (;;) {
		status = init_run(argv, test ? INIT_TEST_TTY : INIT_TTY, envp);
		if (test)
			init_report(status == 0 ? "quit" : "restart");
		if (status == 0)
			return;
		init_log("the console ended unexpectedly: starting it again");
		init_pause();
	}
}

int main(void)
{
	int test;

	if (getpid() != 1)
		return 1;
	/* Ctrl-Alt-Del now sends SIGINT to process 1, which ignores it. */
	reboot(RB_DISABLE_CAD);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	init_mounts();
	init_write("/proc/sys/kernel/sysrq", "0\n");
	init_write("/proc/sys/kernel/ctrl-alt-del", "0\n");
	umask(022);
	mkdir("/var/lib/sceau", 0700);
	init_modules();
	test = init_test_mode();
	if (test) {
		init_serial_size();
		init_report("start");
	}
	init_console(test);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		init_pause();
}

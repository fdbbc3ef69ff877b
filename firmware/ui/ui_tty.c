/*
 * The line console and its scripted twin. Answers are read byte by byte
 * with read(2), never through stdio, so that a PIN never sits in a stdio
 * buffer outside locked memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "crypto/secmem.h"
#include "ui/msg.h"
#include "ui/ui.h"

struct ui_tty {
	int fd;            /* where answers come from */
	int own_fd;        /* opened here (script file) */
	int scripted;
	unsigned wait_seconds;
};

static void ui_tty_say(struct ui *u, enum ui_level level, const char *text)
{
	static const char *const prefix[] = {
		[UI_STEP] = "\n== ", [UI_INFO] = "   ", [UI_OK] = "  [ok] ",
		[UI_WARN] = "  [!] ", [UI_ERROR] = "  [ERREUR] ",
	};

	if (level == UI_ERROR && i18n_lang() == LANG_EN)
		fputs("  [ERROR] ", stdout);
	else
		fputs(prefix[level], stdout);
	fputs(text, stdout);
	fputs(level == UI_STEP ? " ==\n" : "\n", stdout);
	fflush(stdout);
}

static int ui_tty_echo(int fd, int on)
{
	struct termios t;

	if (!isatty(fd) || tcgetattr(fd, &t) != 0)
		return 0;
	if (on)
		t.c_lflag |= ECHO;
	else
		t.c_lflag &= ~(tcflag_t)ECHO;
	return tcsetattr(fd, TCSAFLUSH, &t);
}

/* Reads one line into buf (NUL-terminated); the excess of a long line is
 * consumed and ERR_RANGE returned. */
static int ui_tty_read_line(int fd, char *buf, size_t n)
{
	size_t len = 0;
	int ret = 0;
	char c = 0;

	for (;;) {
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR) {
			ret = ERR_CANCELLED;
			break;
		}
		if (r <= 0) {
			ret = len ? ret : ERR_CANCELLED;
			break;
		}
		if (c == '\n')
			break;
		if (c == '\r')
			continue;
		if (len + 1 < n)
			buf[len++] = c;
		else
			ret = ERR_RANGE;
	}
	buf[len] = '\0';
	c = 0;
	secmem_wipe(&c, sizeof(c));
	return ret;
}

static int ui_tty_ask(struct ui *u, const char *prompt, char *buf, size_t n, int secret)
{
	struct ui_tty *t = u->priv;
	int ret;

	printf("  > %s ", prompt);
	fflush(stdout);
	if (secret && !t->scripted)
		ui_tty_echo(t->fd, 0);
	ret = ui_tty_read_line(t->fd, buf, n);
	if (secret && !t->scripted) {
		ui_tty_echo(t->fd, 1);
		putchar('\n');
	} else if (t->scripted) {
		/* A transcript of a scripted session reads like the real one. */
		puts(ret == 0 ? (secret ? "******" : buf) : "");
	}
	fflush(stdout);
	if (ret && ret != ERR_RANGE)
		secmem_wipe(buf, n);
	return ret;
}

static int ui_tty_wait(struct ui *u, const char *text, int (*ready)(void *arg), void *arg)
{
	struct ui_tty *t = u->priv;
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	time_t start = time(NULL);
	int said = 0, r;

	while ((r = ready(arg)) == 0) {
		if (!said) {
			ui_tty_say(u, UI_INFO, text);
			said = 1;
		}
		if (t->scripted && time(NULL) - start >= (time_t)t->wait_seconds)
			return ERR_CANCELLED;
		if (nanosleep(&pause, NULL) != 0 && errno == EINTR)
			return ERR_CANCELLED;
	}
	return r < 0 ? r : 0;
}

/* On a terminal the line is redrawn; in a log, one line every 10 s. */
static void ui_tty_progress(struct ui *u, const struct ui_progress *p)
{
	static time_t last;
	time_t now = time(NULL);
	char text[512];
	int final = p->final;

	(void)u;
	ui_progress_text(p, text, sizeof(text));
	if (isatty(STDOUT_FILENO)) {
		printf("\r   %s\033[K%s", text, final ? "\n" : "");
	} else if (final || now - last >= 10) {
		printf("   %s\n", text);
		last = now;
	}
	fflush(stdout);
}

static const struct ui_ops ui_tty_ops = {
	.say = ui_tty_say,
	.ask = ui_tty_ask,
	.wait = ui_tty_wait,
	.progress = ui_tty_progress,
};

int ui_tty_init(struct ui *u, const char *script_path, int script_fd,
		unsigned wait_seconds)
{
	struct ui_tty *t = calloc(1, sizeof(*t));

	if (!t)
		return ERR_NOMEM;
	t->fd = STDIN_FILENO;
	t->wait_seconds = wait_seconds;
	if (script_path) {
		t->fd = open(script_path, O_RDONLY | O_CLOEXEC);
		if (t->fd < 0) {
			err_detail("%s: %s", script_path, strerror(errno));
			free(t);
			return ERR_IO;
		}
		t->own_fd = 1;
		t->scripted = 1;
	} else if (script_fd >= 0) {
		t->fd = script_fd;
		t->scripted = 1;
	}
	memset(u, 0, sizeof(*u));
	u->ops = &ui_tty_ops;
	u->priv = t;
	return 0;
}

void ui_tty_close(struct ui *u)
{
	struct ui_tty *t = u->priv;

	if (!t)
		return;
	if (t->own_fd)
		close(t->fd);
	free(t);
	u->priv = NULL;
}

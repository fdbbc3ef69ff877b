/* The backend registry, the thin print_* wrappers and the job API. */
#include <string.h>

#include "lib/err.h"
#include "lib/registry.h"
#include "print/print.h"
#ifdef CONFIG_PRINT_FILE
#include "print/print_file.h"
#endif
#ifdef CONFIG_PRINT_USBLP
#include "print/print_usblp.h"
#endif
#ifdef CONFIG_PRINT_LIBUSB
#include "print/print_libusb.h"
#endif

static const struct print_ops *const print_backends[] = {
#ifdef CONFIG_PRINT_FILE
	&print_file_ops,
#endif
#ifdef CONFIG_PRINT_USBLP
	&print_usblp_ops,
#endif
#ifdef CONFIG_PRINT_LIBUSB
	&print_libusb_ops,
#endif
	NULL
};

const struct print_ops *print_backend(const char *name)
{
	return registry_find((const void *const *)print_backends, name);
}

const struct print_ops *print_default_backend(void)
{
#ifdef CONFIG_PRINT_DEFAULT_BACKEND
	return print_backend(CONFIG_PRINT_DEFAULT_BACKEND);
#else
	return NULL;
#endif
}

int print_open(const struct print_ops *ops, const char *spec, struct printer **out)
{
	int ret;

	if (!out)
		return ERR_INTERNAL;
	*out = NULL;
	if (!ops) {
		err_detail("no printer backend");
		return ERR_NOTFOUND;
	}
	ret = ops->open(spec ? spec : "", out);
	if (ret && *out) {
		/* A backend must not hand out a printer it failed to open. */
		ops->close(*out);
		*out = NULL;
	}
	return ret;
}

int print_send(struct printer *p, const uint8_t *data, size_t len)
{
	if (!p || (!data && len))
		return ERR_INTERNAL;
	if (!len)
		return 0;
	return p->ops->send(p, data, len);
}

int print_status(struct printer *p)
{
	if (!p)
		return ERR_INTERNAL;
	return p->ops->status ? p->ops->status(p) : PRINT_STATUS_UNKNOWN;
}

int print_finish(struct printer *p)
{
	if (!p)
		return ERR_INTERNAL;
	return p->ops->finish ? p->ops->finish(p) : 0;
}

void print_close(struct printer *p)
{
	if (p)
		p->ops->close(p);
}

/* A fault the printer reports before the job starts fails it at once. */
static int print_precheck(struct printer *p)
{
	int st = print_status(p);

	return st < 0 ? st : 0;
}

int print_job_send(const struct print_ops *ops, const char *spec,
		   const uint8_t *data, size_t len)
{
	struct printer *p = NULL;
	int ret;

	if (!data || !len) {
		err_detail("empty print job");
		return ERR_RANGE;
	}
	ret = print_open(ops, spec, &p);
	if (ret)
		return ret;
	ret = print_precheck(p);
	if (!ret)
		ret = print_send(p, data, len);
	if (!ret)
		ret = print_finish(p);
	print_close(p);
	return ret;
}

int print_probe(const struct print_ops *ops, const char *spec, enum print_lang *out)
{
	struct printer *p = NULL;
	int ret;

	if (!out)
		return ERR_INTERNAL;
	*out = PRINT_LANG_NONE;
	ret = print_open(ops, spec, &p);
	if (ret)
		return ret;
	ret = print_lang_of(p, out);
	print_close(p);
	return ret;
}

/* USB printer class 1.1, GET_PORT_STATUS; the same bits as LPGETSTATUS. */
#define PRINT_PORT_PAPER_EMPTY 0x20
#define PRINT_PORT_SELECTED 0x10
#define PRINT_PORT_NOT_ERROR 0x08

int print_port_status_fault(unsigned status)
{
	if (status & PRINT_PORT_PAPER_EMPTY) {
		err_detail("the printer reports it is out of paper (status 0x%02x)",
			   status & 0xff);
		return ERR_PRINTER_NOPAPER;
	}
	if (!(status & PRINT_PORT_SELECTED) || !(status & PRINT_PORT_NOT_ERROR)) {
		err_detail("the printer reports it is off line or in error (status "
			   "0x%02x): cover open, paper jam or off-line button",
			   status & 0xff);
		return ERR_PRINTER_OFFLINE;
	}
	return 0;
}

/* Printing the PVs; see pv_print.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "session/pv_print.h"
#include "print/escpos.h"
#include "print/print.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define PVPRINT_FILE_MAX (64u << 20)
#define PVPRINT_MAX_PAGES 512

/* The documents in the order they are printed: the scrutins' PVs, then the
 * summary and the ceremony's PV. */
static unsigned pvprint_doc(const struct pv_inputs *in, unsigned k)
{
	if (k < in->e->n_scrutins)
		return in->e->scrutins[k].id;
	return k == in->e->n_scrutins ? PV_DOC_SUMMARY : PV_DOC_CEREMONY;
}

/* One PostScript job with every document (pv_write_ps), kept in pv_dir. */
static int pvprint_ps(const struct pv_inputs *in, const struct print_ops *ops,
		      const char *spec, const char *dir)
{
	char path[4200];
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	snprintf(path, sizeof(path), "%s/print-job.ps", dir);
	unlink(path);
	ret = pv_write_ps(in, path);
	if (!ret)
		ret = file_read_all(path, PVPRINT_FILE_MAX, &buf, &len);
	if (!ret)
		ret = print_job_send(ops, spec, buf, len);
	free(buf);
	unlink(path);
	return ret;
}

#ifdef CONFIG_PRINT_ESCPOS
/* Appends the raster pages of one document to pages[*n..]. */
static int pvprint_raster_doc(const struct pv_inputs *in, unsigned doc, unsigned width,
			      struct pv_bitmap **pages, unsigned *n)
{
	unsigned room = PVPRINT_MAX_PAGES - *n;
	int ret = pv_render_raster(in, doc, width, pages + *n, &room);

	if (!ret)
		*n += room;
	return ret;
}
#endif

/* One ESC/POS job with the raster pages of every document. */
static int pvprint_escpos(const struct pv_inputs *in, const struct print_ops *ops,
			  const char *spec, unsigned paper_mm)
{
#ifdef CONFIG_PRINT_ESCPOS
	struct pv_bitmap **pages = calloc(PVPRINT_MAX_PAGES, sizeof(*pages));
	unsigned width = paper_mm == 58 ? PV_RASTER_58MM : PV_RASTER_80MM, n = 0;
	struct escpos_opts eo;
	uint8_t *job = NULL;
	size_t len = 0;
	int ret = pages ? 0 : ERR_NOMEM;

	for (unsigned k = 0; !ret && k < in->e->n_scrutins + 2; k++)
		ret = pvprint_raster_doc(in, pvprint_doc(in, k), width, pages, &n);
	escpos_opts_default(&eo);
	if (!ret)
		ret = escpos_encode((const struct pv_bitmap *const *)pages, n, &eo, &job, &len);
	for (unsigned i = 0; pages && i < n; i++)
		pv_bitmap_free(pages[i]);
	free(pages);
	if (!ret)
		ret = print_job_send(ops, spec, job, len);
	free(job);
	return ret;
#else
	(void)in;
	(void)ops;
	(void)spec;
	(void)paper_mm;
	err_detail("this build has no ESC/POS support");
	return ERR_PRINTER_LANG;
#endif
}

int pvprint_run(const struct pv_inputs *in, const char *pv_dir, const char *printer,
		unsigned paper_mm, struct ui *u)
{
	const struct print_ops *ops;
	const char *colon = strchr(printer, ':');
	enum print_lang lang = PRINT_LANG_NONE;
	char backend[16];
	int ret;

	if (!colon || (size_t)(colon - printer) >= sizeof(backend)) {
		err_detail("--printer %s: expected BACKEND:SPEC (file:..., usblp:..., libusb:)",
			   printer);
		return ERR_USAGE;
	}
	memcpy(backend, printer, (size_t)(colon - printer));
	backend[colon - printer] = '\0';
	ops = print_backend(backend);
	if (!ops) {
		err_detail("printer backend %s is not in this build", backend);
		return ERR_USAGE;
	}
	ret = print_probe(ops, colon + 1, &lang);
	if (!ret)
		ui_say(u, UI_INFO, msg(MSG_PRINT_LANG), colon + 1, print_lang_name(lang));
	if (!ret)
		ret = lang == PRINT_LANG_POSTSCRIPT ? pvprint_ps(in, ops, colon + 1, pv_dir)
						    : pvprint_escpos(in, ops, colon + 1, paper_mm);
	if (!ret)
		ui_say(u, UI_OK, msg(MSG_PRINT_DOC), in->e->n_scrutins + 2);
	if (ret) {
		const char *d = err_last_detail();
		ui_say(u, UI_ERROR, "%s%s%s", msg_err(ret), d[0] ? " : " : "", d);
		ui_say(u, UI_WARN, "%s", msg(MSG_PRINT_RETRY));
	}
	return ret;
}

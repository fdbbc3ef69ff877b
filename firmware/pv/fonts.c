/*
 * The PV's fonts, read from their files by FreeType rather than looked up
 * through fontconfig: every box prints with exactly these glyphs (DejaVu,
 * which has every French letter: É è ç œ « »), or refuses with the name of
 * the missing file; nothing depends on a font configuration. Loaded once,
 * kept for the life of the process (cairo caches fonts across renders).
 */
#include <pthread.h>
#include <stdio.h>

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "lib/err.h"
#include "pv/pv_int.h"

#ifndef CONFIG_PV_FONT_DIR
#define CONFIG_PV_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

static const char *const pv_font_files[PV_FONT_COUNT] = {
	[PV_FONT_SANS] = "DejaVuSans.ttf",
	[PV_FONT_SANS_BOLD] = "DejaVuSans-Bold.ttf",
	[PV_FONT_MONO] = "DejaVuSansMono.ttf",
};

static pthread_mutex_t pv_font_lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library pv_ft;
static cairo_font_face_t *pv_faces[PV_FONT_COUNT];
static const cairo_user_data_key_t pv_font_key;

static void pv_font_done(void *face)
{
	FT_Done_Face(face);
}

static int pv_font_load(enum pv_font f)
{
	char path[512];
	FT_Face face;
	cairo_font_face_t *cf;

	if (!pv_ft && FT_Init_FreeType(&pv_ft) != 0) {
		pv_ft = NULL;
		err_detail("FreeType could not start");
		return ERR_INTERNAL;
	}
	snprintf(path, sizeof(path), "%s/%s", CONFIG_PV_FONT_DIR, pv_font_files[f]);
	if (FT_New_Face(pv_ft, path, 0, &face) != 0) {
		err_detail("font %s: missing or unreadable", path);
		return ERR_NOTFOUND;
	}
	cf = cairo_ft_font_face_create_for_ft_face(face, 0);
	if (cairo_font_face_status(cf) != CAIRO_STATUS_SUCCESS ||
	    cairo_font_face_set_user_data(cf, &pv_font_key, face, pv_font_done) !=
		    CAIRO_STATUS_SUCCESS) {
		cairo_font_face_destroy(cf);
		FT_Done_Face(face);
		return ERR_NOMEM;
	}
	pv_faces[f] = cf;
	return 0;
}

int pv_font(enum pv_font f, cairo_font_face_t **out)
{
	int ret = 0;

	if ((unsigned)f >= PV_FONT_COUNT)
		return ERR_INTERNAL;
	pthread_mutex_lock(&pv_font_lock);
	if (!pv_faces[f])
		ret = pv_font_load(f);
	*out = pv_faces[f];
	pthread_mutex_unlock(&pv_font_lock);
	return ret;
}

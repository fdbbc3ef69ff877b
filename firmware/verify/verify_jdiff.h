/*
 * Field-by-field comparison of two JSON documents (the results the recount
 * gives against the published ones): the first difference in document
 * order, by its path ("scrutins[2].lists[0].seats.average"), with both
 * values, and the number of differing fields. Key order counts: the
 * published file is canonical text.
 */
#ifndef SCEAU_VERIFY_VERIFY_JDIFF_H
#define SCEAU_VERIFY_VERIFY_JDIFF_H

#include <jansson.h>

#define VDIFF_PATH_MAX 256
#define VDIFF_VALUE_MAX 120

struct vdiff {
	unsigned long n;                  /* differing fields */
	char path[VDIFF_PATH_MAX];        /* of the first */
	char expected[VDIFF_VALUE_MAX];   /* compact JSON, or "(absent)" */
	char found[VDIFF_VALUE_MAX];
};

/* Compares found with expected; root names the top ("" for a document). */
void verify_jdiff(const json_t *expected, const json_t *found, const char *root,
		  struct vdiff *d);

#endif

/*
 * Backend registries (card transports, printer backends): a NULL-terminated
 * array of pointers to ops tables, each of which starts with its name
 * (`const char *name` as first member), filled at compile time by Kconfig.
 */
#ifndef SCEAU_LIB_REGISTRY_H
#define SCEAU_LIB_REGISTRY_H

#include <string.h>

/* The entry of table named name, or NULL (name NULL, or none so named). */
static inline const void *registry_find(const void *const *table, const char *name)
{
	for (size_t i = 0; name && table[i]; i++)
		if (strcmp(*(const char *const *)table[i], name) == 0)
			return table[i];
	return NULL;
}

#endif

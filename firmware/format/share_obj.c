/* The share object of private DO 0103: fixed layout in format/share_obj.h. */
#include <string.h>

#include "format/share_obj.h"
#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"

#define SHARE_OBJ_BODY 72 /* bytes covered by the checksum */
#define SHARE_OBJ_M_MAX 9

static int share_obj_ranges_ok(unsigned index, unsigned t, unsigned m)
{
	return t >= 1 && t <= m && m <= SHARE_OBJ_M_MAX && index >= 1 && index <= m;
}

int share_obj_encode(const struct share_obj *s, uint8_t out[SHARE_OBJ_LEN])
{
	int ret;

	if (!share_obj_ranges_ok(s->index, s->t, s->m)) {
		err_detail("share object: index %u, t %u, m %u out of range",
			   s->index, s->t, s->m);
		return ERR_RANGE;
	}
	if (!scalar_is_valid(s->share)) {
		err_detail("share object: share is not in [1, n-1]");
		return ERR_RANGE;
	}
	memcpy(out, SHARE_OBJ_MAGIC, 4);
	out[4] = SHARE_OBJ_VERSION;
	memcpy(out + 5, s->election_id, 32);
	out[37] = (uint8_t)s->index;
	out[38] = (uint8_t)s->t;
	out[39] = (uint8_t)s->m;
	memcpy(out + 40, s->share, 32);
	ret = hash_sha256(out, SHARE_OBJ_BODY, out + SHARE_OBJ_BODY);
	if (ret)
		secmem_wipe(out, SHARE_OBJ_LEN);
	return ret;
}

int share_obj_decode(const uint8_t *in, size_t len, struct share_obj *s)
{
	uint8_t sum[HASH_LEN];
	int ret = ERR_FORMAT;

	memset(s, 0, sizeof(*s));
	if (len != SHARE_OBJ_LEN) {
		err_detail("share object: %zu bytes, expected %d", len, SHARE_OBJ_LEN);
		goto out;
	}
	if (memcmp(in, SHARE_OBJ_MAGIC, 4) != 0) {
		err_detail("share object: bad magic");
		goto out;
	}
	if (in[4] != SHARE_OBJ_VERSION) {
		err_detail("share object: version %u, expected %d", in[4],
			   SHARE_OBJ_VERSION);
		goto out;
	}
	ret = hash_sha256(in, SHARE_OBJ_BODY, sum);
	if (ret)
		goto out;
	if (secmem_ct_compare(sum, in + SHARE_OBJ_BODY, HASH_LEN) != 0) {
		err_detail("share object: checksum mismatch (damaged or edited)");
		ret = ERR_FORMAT;
		goto out;
	}
	if (!share_obj_ranges_ok(in[37], in[38], in[39])) {
		err_detail("share object: index %u, t %u, m %u out of range",
			   in[37], in[38], in[39]);
		ret = ERR_FORMAT;
		goto out;
	}
	if (!scalar_is_valid(in + 40)) {
		err_detail("share object: share is not in [1, n-1]");
		ret = ERR_FORMAT;
		goto out;
	}
	memcpy(s->election_id, in + 5, 32);
	s->index = in[37];
	s->t = in[38];
	s->m = in[39];
	memcpy(s->share, in + 40, 32);
	ret = 0;
out:
	WIPE_BUFFER(sum);
	if (ret)
		secmem_wipe(s, sizeof(*s));
	return ret;
}

/* Hexadecimal text of bytes, strict both ways. */
#ifndef SCEAU_LIB_HEX_H
#define SCEAU_LIB_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Lower-case hex of len bytes into out (2*len+1 bytes, NUL-terminated). */
void hex_encode(const uint8_t *in, size_t len, char *out);
/* Strict hex decode of exactly 2*len lower-case digits (0-9 a-f, the only
 * form the formats allow) followed by the string's NUL; 0 or ERR_FORMAT. */
int hex_decode(const char *in, uint8_t *out, size_t len);

#endif

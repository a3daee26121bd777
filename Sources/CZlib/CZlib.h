// CZlib: Debian's zlib (zlib1g-dev) as a Swift module, found through pkg-config.
//
// Why it exists: permessage-deflate (RFC 7692) is DEFLATE, and the system's zlib is the
// reference implementation every browser's peer uses; writing our own would only add risk.
// Only WSGateCompression imports this module.
#ifndef CZLIB_H
#define CZLIB_H

#include <zlib.h>

// deflateInit2 and inflateInit2 are function-like macros (they pass ZLIB_VERSION and
// sizeof(z_stream)), which Swift cannot call; these wrappers can. Negative window bits
// select raw DEFLATE: no zlib header or checksum, as RFC 7692 §7.2 requires.
static inline int czlib_deflate_init_raw(z_streamp stream, int level, int windowBits, int memLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, -windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init_raw(z_streamp stream, int windowBits) {
    return inflateInit2(stream, -windowBits);
}

#endif

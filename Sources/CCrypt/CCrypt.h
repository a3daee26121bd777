// CCrypt: Debian's libxcrypt (libcrypt-dev) as a Swift module, found through pkg-config.
//
// Why it exists: htpasswd entries (bcrypt `$2y$`, SHA-crypt `$5$`/`$6$`) are checked with the
// system's crypt_r, the same code that checks /etc/shadow; writing our own bcrypt would only
// add risk. Only WSGatePasswords imports this module.
#ifndef CCRYPT_H
#define CCRYPT_H

#include <crypt.h>

#endif

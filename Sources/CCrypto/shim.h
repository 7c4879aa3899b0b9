#ifndef LIFEBOAT_CCRYPTO_SHIM_H
#define LIFEBOAT_CCRYPTO_SHIM_H
// OpenSSL's HMAC, for TSIG (the same libcrypto ldns links).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#endif

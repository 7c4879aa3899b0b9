#ifndef LIFEBOAT_CLDNS_SHIM_H
#define LIFEBOAT_CLDNS_SHIM_H
#include <stdio.h>
#include <ldns/ldns.h>
#endif

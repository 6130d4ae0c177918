#ifndef SEALBOX_CSODIUM_SHIM_H
#define SEALBOX_CSODIUM_SHIM_H
#include <sodium.h>
#endif

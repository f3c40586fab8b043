/*
 * Pulls every modelled header into one translation unit so the debug
 * information describes each structure even where no variable of that type
 * exists (struct ifnet, struct in6_ifaddr, struct sockaddr_dl, ...). Built
 * with -fno-eliminate-unused-debug-types.
 */
#include "all_types.h"

/* The create oracle: socket(2) called from C for every row read on stdin.
 *
 * A row: "<id> <family name> <family> <type name> <type> <protocol>". The name is checked against
 * this C library's macro where it defines one (a different number is printed as MISMATCH), then
 * socket() is called with the row's numbers. Printed: "<id> OK", or "<id> ERR <errno name>".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errnames.h"

#define N(name) {#name, name}
static const struct { const char *name; int number; } macros[] = {
    N(AF_UNSPEC), N(AF_UNIX), N(AF_INET), N(AF_AX25), N(AF_IPX), N(AF_APPLETALK), N(AF_NETROM),
    N(AF_BRIDGE), N(AF_ATMPVC), N(AF_X25), N(AF_INET6), N(AF_ROSE), N(AF_DECnet), N(AF_NETBEUI),
    N(AF_SECURITY), N(AF_KEY), N(AF_NETLINK), N(AF_ROUTE), N(AF_PACKET), N(AF_ASH), N(AF_ECONET),
    N(AF_ATMSVC), N(AF_RDS), N(AF_SNA), N(AF_IRDA), N(AF_PPPOX), N(AF_WANPIPE), N(AF_LLC), N(AF_IB),
    N(AF_MPLS), N(AF_CAN), N(AF_TIPC), N(AF_BLUETOOTH), N(AF_IUCV), N(AF_RXRPC), N(AF_ISDN),
    N(AF_PHONET), N(AF_IEEE802154), N(AF_CAIF), N(AF_ALG), N(AF_NFC), N(AF_VSOCK), N(AF_KCM),
    N(AF_QIPCRTR), N(AF_SMC), N(AF_XDP), N(AF_MCTP),
    N(SOCK_STREAM), N(SOCK_DGRAM), N(SOCK_RAW), N(SOCK_RDM), N(SOCK_SEQPACKET), N(SOCK_DCCP),
    N(SOCK_PACKET),
};
#undef N

static int mismatch(const char *name, int number) {
    for (unsigned i = 0; i < sizeof macros / sizeof macros[0]; i++)
        if (strcmp(macros[i].name, name) == 0) return macros[i].number != number;
    return 0;
}

int main(void) {
    char id[64], family_name[64], type_name[64];
    int family, type, protocol;
    while (scanf("%63s %63s %d %63s %d %d", id, family_name, &family, type_name, &type, &protocol) == 6) {
        if (mismatch(family_name, family) || mismatch(type_name, type)) {
            printf("%s MISMATCH\n", id);
            continue;
        }
        int fd = socket(family, type, protocol);
        if (fd < 0) {
            printf("%s ERR %s\n", id, errname(errno));
        } else {
            printf("%s OK\n", id);
            close(fd);
        }
        fflush(stdout);
    }
    return 0;
}

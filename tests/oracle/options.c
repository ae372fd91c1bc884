/* The option oracle: getsockopt(2)/setsockopt(2) called from C for every row read on stdin.
 *
 * A row (whitespace-separated):
 *   <id> <get|set> <family> <type> <protocol> <level name> <level> <option name> <option>
 *   <state: - | connected> <read size: -1 for an int> <value: hex | - | asread>
 *   <prerequisite count> then per prerequisite: <option name> <level> <option> <value hex>
 * The level and option names are checked against this C library's macros (MISMATCH when they
 * differ). Where the option takes a struct this program knows, it builds the value from the C
 * struct itself and reads with the struct's size; a row whose bytes or read size differ gets the
 * flag LAYOUT or SIZE. Printed: "<id> OK|ERR <errno name>|SOCKET <errno name>|
 * PRE <option name> <errno name>|CONNECT <errno name>|MISMATCH" and any flags.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/icmp.h>
#include <linux/if_alg.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rds.h>
#include <linux/tipc.h>
#include <linux/vm_sockets.h>

#include "errnames.h"

#define GROUP4 "239.255.77.77"
#define IFACE4 "127.0.0.1"
#define SOURCE4 "127.0.0.2"
#define GROUP6 "ff01::77"
#define SOURCE6 "::1"

enum kind {
    RAW,  /* the row's bytes: ints, flags, byte strings */
    LINGER, TIMEVAL, IN_ADDR, IFINDEX, IFINDEX_BE, IFNAME, IP_MREQ, IP_MREQ_SOURCE, IPV6_MREQ,
    GROUP_REQ, GROUP_SOURCE_REQ, MD5SIG, MD5SIG_EXT, FASTOPEN_KEY, REPAIR_WINDOW, PEERNAME, PATHMTU,
    UCRED, U64,
};

struct known { const char *level_name, *name; int level, option; enum kind kind; };

#define K(level, name, kind) {#level, #name, level, name, kind}
static const struct known known[] = {
    K(SOL_SOCKET, SO_LINGER, LINGER), K(SOL_SOCKET, SO_RCVTIMEO, TIMEVAL),
    K(SOL_SOCKET, SO_SNDTIMEO, TIMEVAL), K(SOL_SOCKET, SO_BINDTODEVICE, IFNAME),
    K(SOL_SOCKET, SO_BINDTOIFINDEX, IFINDEX), K(SOL_SOCKET, SO_PEERNAME, PEERNAME),
    K(SOL_SOCKET, SO_PEERCRED, UCRED), K(SOL_SOCKET, SO_COOKIE, U64),
    K(SOL_SOCKET, SO_REUSEADDR, RAW), K(SOL_SOCKET, SO_RCVBUF, RAW), K(SOL_SOCKET, SO_KEEPALIVE, RAW),
    K(SOL_SOCKET, SO_MARK, RAW), K(SOL_SOCKET, SO_PRIORITY, RAW), K(SOL_SOCKET, SO_DEBUG, RAW),
    K(IPPROTO_IP, IP_TOS, RAW), K(IPPROTO_IP, IP_TTL, RAW), K(IPPROTO_IP, IP_MTU, RAW),
    K(IPPROTO_IP, IP_TRANSPARENT, RAW), K(IPPROTO_IP, IP_MULTICAST_TTL, RAW),
    K(IPPROTO_IP, IP_MULTICAST_IF, IN_ADDR), K(IPPROTO_IP, IP_UNICAST_IF, IFINDEX_BE),
    K(IPPROTO_IP, IP_ADD_MEMBERSHIP, IP_MREQ), K(IPPROTO_IP, IP_DROP_MEMBERSHIP, IP_MREQ),
    K(IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, IP_MREQ_SOURCE),
    K(IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP, IP_MREQ_SOURCE),
    K(IPPROTO_IP, IP_BLOCK_SOURCE, IP_MREQ_SOURCE), K(IPPROTO_IP, IP_UNBLOCK_SOURCE, IP_MREQ_SOURCE),
    K(IPPROTO_IP, MCAST_JOIN_GROUP, GROUP_REQ), K(IPPROTO_IP, MCAST_LEAVE_GROUP, GROUP_REQ),
    K(IPPROTO_IP, MCAST_JOIN_SOURCE_GROUP, GROUP_SOURCE_REQ),
    K(IPPROTO_IP, MCAST_LEAVE_SOURCE_GROUP, GROUP_SOURCE_REQ),
    K(IPPROTO_IP, MCAST_BLOCK_SOURCE, GROUP_SOURCE_REQ),
    K(IPPROTO_IP, MCAST_UNBLOCK_SOURCE, GROUP_SOURCE_REQ),
    K(IPPROTO_IPV6, MCAST_JOIN_GROUP, GROUP_REQ), K(IPPROTO_IPV6, MCAST_LEAVE_GROUP, GROUP_REQ),
    K(IPPROTO_IPV6, MCAST_JOIN_SOURCE_GROUP, GROUP_SOURCE_REQ),
    K(IPPROTO_IPV6, MCAST_LEAVE_SOURCE_GROUP, GROUP_SOURCE_REQ),
    K(IPPROTO_IPV6, MCAST_BLOCK_SOURCE, GROUP_SOURCE_REQ),
    K(IPPROTO_IPV6, MCAST_UNBLOCK_SOURCE, GROUP_SOURCE_REQ),
    K(IPPROTO_IPV6, IPV6_JOIN_GROUP, IPV6_MREQ), K(IPPROTO_IPV6, IPV6_LEAVE_GROUP, IPV6_MREQ),
    K(IPPROTO_IPV6, IPV6_MULTICAST_IF, IFINDEX), K(IPPROTO_IPV6, IPV6_UNICAST_IF, IFINDEX_BE),
    K(IPPROTO_IPV6, IPV6_PATHMTU, PATHMTU), K(IPPROTO_IPV6, IPV6_MTU, RAW),
    K(IPPROTO_IPV6, IPV6_V6ONLY, RAW), K(IPPROTO_IPV6, IPV6_ADDRFORM, RAW),
    K(IPPROTO_TCP, TCP_NODELAY, RAW), K(IPPROTO_TCP, TCP_MAXSEG, RAW), K(IPPROTO_TCP, TCP_REPAIR, RAW),
    K(IPPROTO_TCP, TCP_REPAIR_QUEUE, RAW), K(IPPROTO_TCP, TCP_QUEUE_SEQ, RAW),
    K(IPPROTO_TCP, TCP_REPAIR_WINDOW, REPAIR_WINDOW), K(IPPROTO_TCP, TCP_MD5SIG, MD5SIG),
    K(IPPROTO_TCP, TCP_MD5SIG_EXT, MD5SIG_EXT), K(IPPROTO_TCP, TCP_FASTOPEN_KEY, FASTOPEN_KEY),
    K(IPPROTO_TCP, TCP_CONGESTION, RAW), K(IPPROTO_TCP, TCP_INFO, RAW),
    K(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RAW), K(SOL_PACKET, PACKET_VERSION, RAW),
    K(SOL_TIPC, TIPC_IMPORTANCE, RAW), K(SOL_ALG, ALG_SET_KEY, RAW),
    {"AF_VSOCK", "SO_VM_SOCKETS_BUFFER_SIZE", AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, U64},
    {"AF_VSOCK", "SO_VM_SOCKETS_BUFFER_MIN_SIZE", AF_VSOCK, SO_VM_SOCKETS_BUFFER_MIN_SIZE, U64},
    {"AF_VSOCK", "SO_VM_SOCKETS_BUFFER_MAX_SIZE", AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE, U64},
    /* the rest: numbers checked, values as the row gives them */
    K(SOL_SOCKET, SO_ACCEPTCONN, RAW), K(SOL_SOCKET, SO_BROADCAST, RAW), K(SOL_SOCKET, SO_DONTROUTE, RAW),
    K(SOL_SOCKET, SO_ERROR, RAW), K(SOL_SOCKET, SO_OOBINLINE, RAW), K(SOL_SOCKET, SO_SNDBUF, RAW),
    K(SOL_SOCKET, SO_RCVLOWAT, RAW), K(SOL_SOCKET, SO_SNDLOWAT, RAW), K(SOL_SOCKET, SO_REUSEPORT, RAW),
    K(SOL_SOCKET, SO_TYPE, RAW), K(SOL_SOCKET, SO_BPF_EXTENSIONS, RAW), K(SOL_SOCKET, SO_BSDCOMPAT, RAW),
    K(SOL_SOCKET, SO_BUF_LOCK, RAW), K(SOL_SOCKET, SO_BUSY_POLL, RAW),
    K(SOL_SOCKET, SO_BUSY_POLL_BUDGET, RAW), K(SOL_SOCKET, SO_CNX_ADVICE, RAW), K(SOL_SOCKET, SO_DOMAIN, RAW),
    K(SOL_SOCKET, SO_INCOMING_CPU, RAW), K(SOL_SOCKET, SO_INCOMING_NAPI_ID, RAW),
    K(SOL_SOCKET, SO_LOCK_FILTER, RAW), K(SOL_SOCKET, SO_MAX_PACING_RATE, RAW),
    K(SOL_SOCKET, SO_MEMINFO, RAW), K(SOL_SOCKET, SO_NETNS_COOKIE, RAW), K(SOL_SOCKET, SO_NOFCS, RAW),
    K(SOL_SOCKET, SO_NO_CHECK, RAW), K(SOL_SOCKET, SO_PASSCRED, RAW), K(SOL_SOCKET, SO_PASSSEC, RAW),
    K(SOL_SOCKET, SO_PEEK_OFF, RAW), K(SOL_SOCKET, SO_PEERGROUPS, RAW), K(SOL_SOCKET, SO_PEERSEC, RAW),
    K(SOL_SOCKET, SO_PREFER_BUSY_POLL, RAW), K(SOL_SOCKET, SO_PROTOCOL, RAW),
    K(SOL_SOCKET, SO_RCVBUFFORCE, RAW), K(SOL_SOCKET, SO_RCVMARK, RAW), K(SOL_SOCKET, SO_RESERVE_MEM, RAW),
    K(SOL_SOCKET, SO_RXQ_OVFL, RAW), K(SOL_SOCKET, SO_SELECT_ERR_QUEUE, RAW),
    K(SOL_SOCKET, SO_SNDBUFFORCE, RAW), K(SOL_SOCKET, SO_TIMESTAMP, RAW), K(SOL_SOCKET, SO_TIMESTAMPING, RAW),
    K(SOL_SOCKET, SO_TIMESTAMPNS, RAW), K(SOL_SOCKET, SO_TXREHASH, RAW), K(SOL_SOCKET, SO_TXTIME, RAW),
    K(SOL_SOCKET, SO_WIFI_STATUS, RAW), K(SOL_SOCKET, SO_ZEROCOPY, RAW), K(SOL_SOCKET, SO_ATTACH_FILTER, RAW),
    K(SOL_SOCKET, SO_ATTACH_BPF, RAW),
    K(IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, RAW), K(IPPROTO_IP, IP_CHECKSUM, RAW),
    K(IPPROTO_IP, IP_FREEBIND, RAW), K(IPPROTO_IP, IP_HDRINCL, RAW), K(IPPROTO_IP, IP_MINTTL, RAW),
    K(IPPROTO_IP, IP_MTU_DISCOVER, RAW), K(IPPROTO_IP, IP_MULTICAST_ALL, RAW),
    K(IPPROTO_IP, IP_MULTICAST_LOOP, RAW), K(IPPROTO_IP, IP_NODEFRAG, RAW), K(IPPROTO_IP, IP_OPTIONS, RAW),
    K(IPPROTO_IP, IP_PASSSEC, RAW), K(IPPROTO_IP, IP_PKTINFO, RAW), K(IPPROTO_IP, IP_RECVERR, RAW),
    K(IPPROTO_IP, IP_RECVERR_RFC4884, RAW), K(IPPROTO_IP, IP_RECVFRAGSIZE, RAW),
    K(IPPROTO_IP, IP_RECVOPTS, RAW), K(IPPROTO_IP, IP_RECVORIGDSTADDR, RAW),
    K(IPPROTO_IP, IP_RECVRETOPTS, RAW), K(IPPROTO_IP, IP_RECVTOS, RAW), K(IPPROTO_IP, IP_RECVTTL, RAW),
    K(IPPROTO_IP, IP_RETOPTS, RAW), K(IPPROTO_IP, IP_ROUTER_ALERT, RAW),
    K(IPPROTO_IPV6, IPV6_ADDR_PREFERENCES, RAW), K(IPPROTO_IPV6, IPV6_AUTOFLOWLABEL, RAW),
    K(IPPROTO_IPV6, IPV6_CHECKSUM, RAW), K(IPPROTO_IPV6, IPV6_DONTFRAG, RAW),
    K(IPPROTO_IPV6, IPV6_DSTOPTS, RAW), K(IPPROTO_IPV6, IPV6_FLOWINFO, RAW),
    K(IPPROTO_IPV6, IPV6_FLOWINFO_SEND, RAW), K(IPPROTO_IPV6, IPV6_FREEBIND, RAW),
    K(IPPROTO_IPV6, IPV6_HDRINCL, RAW), K(IPPROTO_IPV6, IPV6_HOPLIMIT, RAW),
    K(IPPROTO_IPV6, IPV6_HOPOPTS, RAW), K(IPPROTO_IPV6, IPV6_MINHOPCOUNT, RAW),
    K(IPPROTO_IPV6, IPV6_MTU_DISCOVER, RAW), K(IPPROTO_IPV6, IPV6_MULTICAST_ALL, RAW),
    K(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, RAW), K(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, RAW),
    K(IPPROTO_IPV6, IPV6_NEXTHOP, RAW), K(IPPROTO_IPV6, IPV6_PKTINFO, RAW),
    K(IPPROTO_IPV6, IPV6_RECVDSTOPTS, RAW), K(IPPROTO_IPV6, IPV6_RECVERR, RAW),
    K(IPPROTO_IPV6, IPV6_RECVERR_RFC4884, RAW), K(IPPROTO_IPV6, IPV6_RECVFRAGSIZE, RAW),
    K(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, RAW), K(IPPROTO_IPV6, IPV6_RECVHOPOPTS, RAW),
    K(IPPROTO_IPV6, IPV6_RECVORIGDSTADDR, RAW), K(IPPROTO_IPV6, IPV6_RECVPATHMTU, RAW),
    K(IPPROTO_IPV6, IPV6_RECVPKTINFO, RAW), K(IPPROTO_IPV6, IPV6_RECVRTHDR, RAW),
    K(IPPROTO_IPV6, IPV6_RECVTCLASS, RAW), K(IPPROTO_IPV6, IPV6_ROUTER_ALERT, RAW),
    K(IPPROTO_IPV6, IPV6_ROUTER_ALERT_ISOLATE, RAW), K(IPPROTO_IPV6, IPV6_RTHDR, RAW),
    K(IPPROTO_IPV6, IPV6_RTHDRDSTOPTS, RAW), K(IPPROTO_IPV6, IPV6_TCLASS, RAW),
    K(IPPROTO_IPV6, IPV6_TRANSPARENT, RAW), K(IPPROTO_IPV6, IPV6_UNICAST_HOPS, RAW),
    K(IPPROTO_TCP, TCP_CC_INFO, RAW), K(IPPROTO_TCP, TCP_CORK, RAW), K(IPPROTO_TCP, TCP_DEFER_ACCEPT, RAW),
    K(IPPROTO_TCP, TCP_FASTOPEN, RAW), K(IPPROTO_TCP, TCP_FASTOPEN_CONNECT, RAW),
    K(IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE, RAW), K(IPPROTO_TCP, TCP_INQ, RAW),
    K(IPPROTO_TCP, TCP_KEEPCNT, RAW), K(IPPROTO_TCP, TCP_KEEPIDLE, RAW), K(IPPROTO_TCP, TCP_KEEPINTVL, RAW),
    K(IPPROTO_TCP, TCP_LINGER2, RAW), K(IPPROTO_TCP, TCP_NOTSENT_LOWAT, RAW),
    K(IPPROTO_TCP, TCP_QUICKACK, RAW), K(IPPROTO_TCP, TCP_SAVE_SYN, RAW), K(IPPROTO_TCP, TCP_SAVED_SYN, RAW),
    K(IPPROTO_TCP, TCP_SYNCNT, RAW), K(IPPROTO_TCP, TCP_THIN_DUPACK, RAW),
    K(IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS, RAW), K(IPPROTO_TCP, TCP_TIMESTAMP, RAW),
    K(IPPROTO_TCP, TCP_TX_DELAY, RAW), K(IPPROTO_TCP, TCP_ULP, RAW), K(IPPROTO_TCP, TCP_USER_TIMEOUT, RAW),
    K(IPPROTO_TCP, TCP_WINDOW_CLAMP, RAW), K(IPPROTO_TCP, TCP_REPAIR_OPTIONS, RAW),
    K(IPPROTO_TCP, TCP_ZEROCOPY_RECEIVE, RAW),
    K(IPPROTO_UDP, UDP_CORK, RAW), K(IPPROTO_UDP, UDP_ENCAP, RAW), K(IPPROTO_UDP, UDP_GRO, RAW),
    K(IPPROTO_UDP, UDP_NO_CHECK6_RX, RAW), K(IPPROTO_UDP, UDP_NO_CHECK6_TX, RAW),
    K(IPPROTO_UDP, UDP_SEGMENT, RAW),
    K(SOL_RAW, ICMP_FILTER, RAW),
    K(SOL_NETLINK, NETLINK_BROADCAST_ERROR, RAW), K(SOL_NETLINK, NETLINK_CAP_ACK, RAW),
    K(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, RAW), K(SOL_NETLINK, NETLINK_EXT_ACK, RAW),
    K(SOL_NETLINK, NETLINK_GET_STRICT_CHK, RAW), K(SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, RAW),
    K(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, RAW), K(SOL_NETLINK, NETLINK_NO_ENOBUFS, RAW),
    K(SOL_NETLINK, NETLINK_PKTINFO, RAW),
    K(SOL_PACKET, PACKET_ADD_MEMBERSHIP, RAW), K(SOL_PACKET, PACKET_AUXDATA, RAW),
    K(SOL_PACKET, PACKET_COPY_THRESH, RAW), K(SOL_PACKET, PACKET_FANOUT, RAW),
    K(SOL_PACKET, PACKET_HDRLEN, RAW), K(SOL_PACKET, PACKET_IGNORE_OUTGOING, RAW),
    K(SOL_PACKET, PACKET_LOSS, RAW), K(SOL_PACKET, PACKET_ORIGDEV, RAW),
    K(SOL_PACKET, PACKET_QDISC_BYPASS, RAW), K(SOL_PACKET, PACKET_RESERVE, RAW),
    K(SOL_PACKET, PACKET_ROLLOVER_STATS, RAW), K(SOL_PACKET, PACKET_RX_RING, RAW),
    K(SOL_PACKET, PACKET_STATISTICS, RAW), K(SOL_PACKET, PACKET_TIMESTAMP, RAW),
    K(SOL_PACKET, PACKET_TX_HAS_OFF, RAW), K(SOL_PACKET, PACKET_TX_RING, RAW),
    K(SOL_PACKET, PACKET_VNET_HDR, RAW),
    K(SOL_TIPC, TIPC_CONN_TIMEOUT, RAW), K(SOL_TIPC, TIPC_DEST_DROPPABLE, RAW),
    K(SOL_TIPC, TIPC_SRC_DROPPABLE, RAW),
    K(SOL_ALG, ALG_SET_AEAD_AUTHSIZE, RAW),
    K(SOL_RDS, RDS_CANCEL_SENT_TO, RAW), K(SOL_RDS, RDS_CONG_MONITOR, RAW), K(SOL_RDS, RDS_FREE_MR, RAW),
    K(SOL_RDS, RDS_GET_MR, RAW), K(SOL_RDS, RDS_GET_MR_FOR_DEST, RAW), K(SOL_RDS, RDS_RECVERR, RAW),
};
#undef K

static const struct known *lookup(const char *level_name, const char *name) {
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i].level_name, level_name) == 0 && strcmp(known[i].name, name) == 0)
            return &known[i];
    return NULL;
}

static size_t unhex(const char *hex, unsigned char *out, size_t room) {
    size_t n = 0;
    if (strcmp(hex, "-") == 0) return 0;
    for (; hex[0] && hex[1] && n < room; hex += 2) sscanf(hex, "%2hhx", &out[n++]);
    return n;
}

static void loopback(int family, struct sockaddr_storage *out, socklen_t *len, const char *v4, const char *v6,
                     int port) {
    memset(out, 0, sizeof *out);
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        inet_pton(AF_INET6, v6, &a->sin6_addr);
        *len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)out;
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        inet_pton(AF_INET, v4, &a->sin_addr);
        *len = sizeof *a;
    }
}

/* The value this program would pass for a struct option, built from the C struct; 0 for RAW. */
static size_t build(const struct known *k, int family, unsigned char *out) {
    unsigned lo = if_nametoindex("lo");
    socklen_t ignored;
    memset(out, 0, 512);
    switch (k->kind) {
    case LINGER: { struct linger v = {1, 3}; memcpy(out, &v, sizeof v); return sizeof v; }
    case TIMEVAL: { struct timeval v = {2, 0}; memcpy(out, &v, sizeof v); return sizeof v; }
    case IN_ADDR: { struct in_addr v; inet_pton(AF_INET, IFACE4, &v); memcpy(out, &v, sizeof v); return sizeof v; }
    case IFINDEX: { int v = (int)lo; memcpy(out, &v, sizeof v); return sizeof v; }
    case IFINDEX_BE: { uint32_t v = htonl(lo); memcpy(out, &v, sizeof v); return sizeof v; }
    case IFNAME: memcpy(out, "lo", 2); return 2;
    case IP_MREQ: {  /* Linux joins with the longer ip_mreqn */
        struct ip_mreqn v;
        inet_pton(AF_INET, GROUP4, &v.imr_multiaddr);
        inet_pton(AF_INET, IFACE4, &v.imr_address);
        v.imr_ifindex = (int)lo;
        memcpy(out, &v, sizeof v);
        return sizeof v;
    }
    case IP_MREQ_SOURCE: {
        struct ip_mreq_source v;
        inet_pton(AF_INET, GROUP4, &v.imr_multiaddr);
        inet_pton(AF_INET, IFACE4, &v.imr_interface);
        inet_pton(AF_INET, SOURCE4, &v.imr_sourceaddr);
        memcpy(out, &v, sizeof v);
        return sizeof v;
    }
    case IPV6_MREQ: {
        struct ipv6_mreq v;
        inet_pton(AF_INET6, GROUP6, &v.ipv6mr_multiaddr);
        v.ipv6mr_interface = lo;
        memcpy(out, &v, sizeof v);
        return sizeof v;
    }
    case GROUP_REQ: {
        struct group_req v;
        memset(&v, 0, sizeof v);
        v.gr_interface = lo;
        loopback(k->level == IPPROTO_IPV6 ? AF_INET6 : AF_INET, &v.gr_group, &ignored, GROUP4, GROUP6, 0);
        memcpy(out, &v, sizeof v);
        return sizeof v;
    }
    case GROUP_SOURCE_REQ: {
        struct group_source_req v;
        int group_family = k->level == IPPROTO_IPV6 ? AF_INET6 : AF_INET;
        memset(&v, 0, sizeof v);
        v.gsr_interface = lo;
        loopback(group_family, &v.gsr_group, &ignored, GROUP4, GROUP6, 0);
        loopback(group_family, &v.gsr_source, &ignored, SOURCE4, SOURCE6, 0);
        memcpy(out, &v, sizeof v);
        return sizeof v;
    }
    case MD5SIG:
    case MD5SIG_EXT: {
        struct tcp_md5sig v;
        memset(&v, 0, sizeof v);
        loopback(family, &v.tcpm_addr, &ignored, "127.0.0.1", "::1", 0);
        if (k->kind == MD5SIG_EXT) {
            v.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
            v.tcpm_prefixlen = family == AF_INET6 ? 128 : 32;
        }
        v.tcpm_keylen = 16;
        for (int i = 0; i < 16; i++) v.tcpm_key[i] = (unsigned char)(i + 1);
        memcpy(out, &v, sizeof v);
        return sizeof v;
    }
    case FASTOPEN_KEY:
        for (int i = 0; i < 16; i++) out[i] = (unsigned char)(i + 1);
        return 16;
    default:
        return 0;
    }
}

/* The read size this program takes for a struct option; 0: the row's (an int when -1). */
static socklen_t struct_size(const struct known *k, int family) {
    switch (k->kind) {
    case LINGER: return sizeof(struct linger);
    case TIMEVAL: return sizeof(struct timeval);
    case IN_ADDR: return sizeof(struct in_addr);
    case IFINDEX: return sizeof(int);
    case IFINDEX_BE: return sizeof(uint32_t);
    case IFNAME: return IFNAMSIZ;
    case MD5SIG: case MD5SIG_EXT: return sizeof(struct tcp_md5sig);
    case FASTOPEN_KEY: return 16;
    case REPAIR_WINDOW: return sizeof(struct tcp_repair_window);
    case PEERNAME: return family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    case PATHMTU: return sizeof(struct ip6_mtuinfo);
    case UCRED: return sizeof(struct ucred);
    case U64: return sizeof(uint64_t);
    default: return 0;
    }
}

static int connect_to_loopback(int fd, int family, int type, int protocol, int *listener) {
    struct sockaddr_storage address;
    socklen_t len;
    loopback(family, &address, &len, "127.0.0.1", "::1", 9);
    if (type == SOCK_STREAM || type == SOCK_SEQPACKET) {
        loopback(family, &address, &len, "127.0.0.1", "::1", 0);
        *listener = socket(family, type, protocol);
        if (*listener < 0 || bind(*listener, (struct sockaddr *)&address, len) < 0 || listen(*listener, 1) < 0 ||
            getsockname(*listener, (struct sockaddr *)&address, &len) < 0)
            return -1;
    }
    return connect(fd, (struct sockaddr *)&address, len);
}

int main(void) {
    char id[32], step[8], level_name[64], name[64], state[32], hex[1100];
    int family, type, protocol, level, option, read_size, prerequisites;
    while (scanf("%31s %7s %d %d %d %63s %d %63s %d %31s %d %1099s %d", id, step, &family, &type, &protocol,
                 level_name, &level, name, &option, state, &read_size, hex, &prerequisites) == 13) {
        const struct known *k = lookup(level_name, name);
        unsigned char row[512], value[512], got[512];
        size_t row_len = unhex(hex, row, sizeof row), value_len;
        char flags[64] = "";
        int fd, listener = -1, failed = 0;
        char pre_name[8][64], pre_hex[8][1100];
        int pre_level[8], pre_option[8];
        for (int i = 0; i < prerequisites && i < 8; i++)
            if (scanf("%63s %d %d %1099s", pre_name[i], &pre_level[i], &pre_option[i], pre_hex[i]) != 4) return 2;
        if (k != NULL && (k->level != level || k->option != option)) {
            printf("%s MISMATCH %s.%s is %d.%d here\n", id, level_name, name, k->level, k->option);
            continue;
        }
        fd = socket(family, type, protocol);
        if (fd < 0) {
            printf("%s SOCKET %s\n", id, errname(errno));
            continue;
        }
        for (int i = 0; i < prerequisites && !failed; i++) {
            const struct known *pk = lookup(level_name, pre_name[i]);
            size_t n = pk != NULL ? build(pk, family, value) : 0;
            if (n == 0) n = unhex(pre_hex[i], value, sizeof value);
            if (setsockopt(fd, pre_level[i], pre_option[i], value, (socklen_t)n) < 0) {
                printf("%s PRE %s %s\n", id, pre_name[i], errname(errno));
                failed = 1;
            }
        }
        if (!failed && strcmp(state, "connected") == 0 && connect_to_loopback(fd, family, type, protocol, &listener) < 0) {
            printf("%s CONNECT %s\n", id, errname(errno));
            failed = 1;
        }
        if (!failed) {
            socklen_t size = k != NULL ? struct_size(k, family) : 0;
            if (size == 0) size = read_size < 0 ? sizeof(int) : (socklen_t)read_size;
            if (read_size >= 0 && k != NULL && struct_size(k, family) != 0 && (socklen_t)read_size != size)
                snprintf(flags, sizeof flags, " SIZE c=%u", (unsigned)size);
            int rc;
            if (strcmp(step, "get") == 0) {
                rc = getsockopt(fd, level, option, got, &size);
            } else {
                value_len = k != NULL ? build(k, family, value) : 0;
                if (k != NULL && k->kind == REPAIR_WINDOW) {  /* written back as read, like the probe */
                    socklen_t read_len = size;
                    value_len = getsockopt(fd, level, option, value, &read_len) < 0 ? 0 : read_len;
                } else if (value_len == 0) {
                    memcpy(value, row, row_len);
                    value_len = row_len;
                } else if (value_len != row_len || memcmp(value, row, row_len) != 0) {
                    snprintf(flags, sizeof flags, " LAYOUT c=%zu row=%zu", value_len, row_len);
                }
                rc = setsockopt(fd, level, option, value, (socklen_t)value_len);
            }
            if (rc < 0) printf("%s ERR %s%s\n", id, errname(errno), flags);
            else printf("%s OK%s\n", id, flags);
        }
        close(fd);
        if (listener >= 0) close(listener);
        fflush(stdout);
    }
    return 0;
}

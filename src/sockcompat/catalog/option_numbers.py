"""Socket-option numbers per OS, copied from each OS's headers (the header is named beside each table).

The option suite probes by these numbers when Python has no constant (as the create suite does with
``platforms``), so every Python version on one host probes the same options and writes the same
rows: CPython 3.12 added ``TCP_FASTOPEN_KEY`` and ``IP_ADD_SOURCE_MEMBERSHIP``, but the kernel of a
3.9 host answers them all the same. The Linux tables are complete for the catalog; the other OSes'
tables hold what a Python build may lack. Python's own number wins where it has one (a test checks
they agree on this host). Nothing here calls the OS.
"""

from __future__ import annotations

from collections.abc import Mapping

Table = Mapping[str, int]

#: Level numbers, for levels Python has no name for.
LEVEL_NUMBERS: Mapping[str, Table] = {
    # include/uapi/linux/in.h, in6.h (IPPROTO_*), include/linux/socket.h (SOL_*), vm_sockets.h
    "linux": {
        "SOL_SOCKET": 1, "IPPROTO_IP": 0, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17,
        "IPPROTO_UDPLITE": 136, "IPPROTO_ICMPV6": 58, "SOL_RAW": 255, "SOL_NETLINK": 270,
        "SOL_PACKET": 263, "SOL_CAN_RAW": 101, "SOL_CAN_J1939": 107, "SOL_TIPC": 271,
        "SOL_ALG": 279, "SOL_RDS": 276, "AF_VSOCK": 40,
    },
    # xnu bsd/sys/socket.h, bsd/netinet/in.h, bsd/sys/un.h
    "darwin": {
        "SOL_SOCKET": 0xFFFF, "IPPROTO_IP": 0, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17,
        "IPPROTO_ICMPV6": 58, "SOL_LOCAL": 0,
    },
    # sys/sys/socket.h, sys/netinet/in.h, sys/sys/un.h
    "freebsd": {
        "SOL_SOCKET": 0xFFFF, "IPPROTO_IP": 0, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17,
        "IPPROTO_UDPLITE": 136, "IPPROTO_ICMPV6": 58, "SOL_LOCAL": 0,
    },
    # shared/ws2def.h
    "win32": {"SOL_SOCKET": 0xFFFF, "IPPROTO_IP": 0, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17},
}

#: Option numbers per OS and level.
OPTION_NUMBERS: Mapping[str, Mapping[str, Table]] = {
    "linux": {
        # include/uapi/asm-generic/socket.h (x86, arm, riscv; alpha, mips, parisc, sparc differ)
        "SOL_SOCKET": {
            "SO_DEBUG": 1, "SO_REUSEADDR": 2, "SO_TYPE": 3, "SO_ERROR": 4, "SO_DONTROUTE": 5,
            "SO_BROADCAST": 6, "SO_SNDBUF": 7, "SO_RCVBUF": 8, "SO_KEEPALIVE": 9, "SO_OOBINLINE": 10,
            "SO_NO_CHECK": 11, "SO_PRIORITY": 12, "SO_LINGER": 13, "SO_BSDCOMPAT": 14, "SO_REUSEPORT": 15,
            "SO_PASSCRED": 16, "SO_PEERCRED": 17, "SO_RCVLOWAT": 18, "SO_SNDLOWAT": 19, "SO_RCVTIMEO": 20,
            "SO_SNDTIMEO": 21, "SO_BINDTODEVICE": 25, "SO_ATTACH_FILTER": 26, "SO_PEERNAME": 28,
            "SO_TIMESTAMP": 29, "SO_ACCEPTCONN": 30, "SO_PEERSEC": 31, "SO_SNDBUFFORCE": 32,
            "SO_RCVBUFFORCE": 33, "SO_PASSSEC": 34, "SO_TIMESTAMPNS": 35, "SO_MARK": 36,
            "SO_TIMESTAMPING": 37, "SO_PROTOCOL": 38, "SO_DOMAIN": 39, "SO_RXQ_OVFL": 40,
            "SO_WIFI_STATUS": 41, "SO_PEEK_OFF": 42, "SO_NOFCS": 43, "SO_LOCK_FILTER": 44,
            "SO_SELECT_ERR_QUEUE": 45, "SO_BUSY_POLL": 46, "SO_MAX_PACING_RATE": 47,
            "SO_BPF_EXTENSIONS": 48, "SO_INCOMING_CPU": 49, "SO_ATTACH_BPF": 50, "SO_CNX_ADVICE": 53,
            "SO_MEMINFO": 55, "SO_INCOMING_NAPI_ID": 56, "SO_COOKIE": 57, "SO_PEERGROUPS": 59,
            "SO_ZEROCOPY": 60, "SO_TXTIME": 61, "SO_BINDTOIFINDEX": 62, "SO_PREFER_BUSY_POLL": 69,
            "SO_BUSY_POLL_BUDGET": 70, "SO_NETNS_COOKIE": 71, "SO_BUF_LOCK": 72, "SO_RESERVE_MEM": 73,
            "SO_TXREHASH": 74, "SO_RCVMARK": 75, "SO_PASSPIDFD": 76, "SO_PEERPIDFD": 77,
        },
        # include/uapi/linux/in.h
        "IPPROTO_IP": {
            "IP_TOS": 1, "IP_TTL": 2, "IP_HDRINCL": 3, "IP_OPTIONS": 4, "IP_ROUTER_ALERT": 5,
            "IP_RECVOPTS": 6, "IP_RETOPTS": 7, "IP_RECVRETOPTS": 7, "IP_PKTINFO": 8, "IP_MTU_DISCOVER": 10,
            "IP_RECVERR": 11, "IP_RECVTTL": 12, "IP_RECVTOS": 13, "IP_MTU": 14, "IP_FREEBIND": 15,
            "IP_PASSSEC": 18, "IP_TRANSPARENT": 19, "IP_RECVORIGDSTADDR": 20, "IP_MINTTL": 21,
            "IP_NODEFRAG": 22, "IP_CHECKSUM": 23, "IP_BIND_ADDRESS_NO_PORT": 24, "IP_RECVFRAGSIZE": 25,
            "IP_RECVERR_RFC4884": 26, "IP_MULTICAST_IF": 32, "IP_MULTICAST_TTL": 33,
            "IP_MULTICAST_LOOP": 34, "IP_ADD_MEMBERSHIP": 35, "IP_DROP_MEMBERSHIP": 36,
            "IP_UNBLOCK_SOURCE": 37, "IP_BLOCK_SOURCE": 38, "IP_ADD_SOURCE_MEMBERSHIP": 39,
            "IP_DROP_SOURCE_MEMBERSHIP": 40, "MCAST_JOIN_GROUP": 42, "MCAST_BLOCK_SOURCE": 43,
            "MCAST_UNBLOCK_SOURCE": 44, "MCAST_LEAVE_GROUP": 45, "MCAST_JOIN_SOURCE_GROUP": 46,
            "MCAST_LEAVE_SOURCE_GROUP": 47, "IP_MULTICAST_ALL": 49, "IP_UNICAST_IF": 50,
            "IP_LOCAL_PORT_RANGE": 51, "IP_PROTOCOL": 52,
        },
        # include/uapi/linux/in6.h (the MCAST_* numbers are in.h's, shared by both levels)
        "IPPROTO_IPV6": {
            "IPV6_ADDRFORM": 1, "IPV6_CHECKSUM": 7, "IPV6_NEXTHOP": 9, "IPV6_FLOWINFO": 11,
            "IPV6_UNICAST_HOPS": 16, "IPV6_MULTICAST_IF": 17, "IPV6_MULTICAST_HOPS": 18,
            "IPV6_MULTICAST_LOOP": 19, "IPV6_JOIN_GROUP": 20, "IPV6_LEAVE_GROUP": 21,
            "IPV6_ROUTER_ALERT": 22, "IPV6_MTU_DISCOVER": 23, "IPV6_MTU": 24, "IPV6_RECVERR": 25,
            "IPV6_V6ONLY": 26, "IPV6_MULTICAST_ALL": 29, "IPV6_ROUTER_ALERT_ISOLATE": 30,
            "IPV6_RECVERR_RFC4884": 31, "IPV6_FLOWINFO_SEND": 33, "IPV6_HDRINCL": 36,
            "MCAST_JOIN_GROUP": 42, "MCAST_BLOCK_SOURCE": 43, "MCAST_UNBLOCK_SOURCE": 44,
            "MCAST_LEAVE_GROUP": 45, "MCAST_JOIN_SOURCE_GROUP": 46, "MCAST_LEAVE_SOURCE_GROUP": 47,
            "IPV6_RECVPKTINFO": 49, "IPV6_PKTINFO": 50, "IPV6_RECVHOPLIMIT": 51, "IPV6_HOPLIMIT": 52,
            "IPV6_RECVHOPOPTS": 53, "IPV6_HOPOPTS": 54, "IPV6_RTHDRDSTOPTS": 55, "IPV6_RECVRTHDR": 56,
            "IPV6_RTHDR": 57, "IPV6_RECVDSTOPTS": 58, "IPV6_DSTOPTS": 59, "IPV6_RECVPATHMTU": 60,
            "IPV6_PATHMTU": 61, "IPV6_DONTFRAG": 62, "IPV6_RECVTCLASS": 66, "IPV6_TCLASS": 67,
            "IPV6_AUTOFLOWLABEL": 70, "IPV6_ADDR_PREFERENCES": 72, "IPV6_MINHOPCOUNT": 73,
            "IPV6_RECVORIGDSTADDR": 74, "IPV6_TRANSPARENT": 75, "IPV6_UNICAST_IF": 76,
            "IPV6_RECVFRAGSIZE": 77, "IPV6_FREEBIND": 78,
        },
        # include/uapi/linux/tcp.h
        "IPPROTO_TCP": {
            "TCP_NODELAY": 1, "TCP_MAXSEG": 2, "TCP_CORK": 3, "TCP_KEEPIDLE": 4, "TCP_KEEPINTVL": 5,
            "TCP_KEEPCNT": 6, "TCP_SYNCNT": 7, "TCP_LINGER2": 8, "TCP_DEFER_ACCEPT": 9,
            "TCP_WINDOW_CLAMP": 10, "TCP_INFO": 11, "TCP_QUICKACK": 12, "TCP_CONGESTION": 13,
            "TCP_MD5SIG": 14, "TCP_THIN_LINEAR_TIMEOUTS": 16, "TCP_THIN_DUPACK": 17,
            "TCP_USER_TIMEOUT": 18, "TCP_REPAIR": 19, "TCP_REPAIR_QUEUE": 20, "TCP_QUEUE_SEQ": 21,
            "TCP_REPAIR_OPTIONS": 22, "TCP_FASTOPEN": 23, "TCP_TIMESTAMP": 24, "TCP_NOTSENT_LOWAT": 25,
            "TCP_CC_INFO": 26, "TCP_SAVE_SYN": 27, "TCP_SAVED_SYN": 28, "TCP_REPAIR_WINDOW": 29,
            "TCP_FASTOPEN_CONNECT": 30, "TCP_ULP": 31, "TCP_MD5SIG_EXT": 32, "TCP_FASTOPEN_KEY": 33,
            "TCP_FASTOPEN_NO_COOKIE": 34, "TCP_ZEROCOPY_RECEIVE": 35, "TCP_INQ": 36, "TCP_TX_DELAY": 37,
            "TCP_IS_MPTCP": 43,
        },
        # include/uapi/linux/udp.h; UDP-Lite: include/net/udplite.h
        "IPPROTO_UDP": {
            "UDP_CORK": 1, "UDP_ENCAP": 100, "UDP_NO_CHECK6_TX": 101, "UDP_NO_CHECK6_RX": 102,
            "UDP_SEGMENT": 103, "UDP_GRO": 104,
        },
        "IPPROTO_UDPLITE": {"UDPLITE_SEND_CSCOV": 10, "UDPLITE_RECV_CSCOV": 11},
        # include/uapi/linux/icmp.h, icmpv6.h
        "SOL_RAW": {"ICMP_FILTER": 1},
        "IPPROTO_ICMPV6": {"ICMP6_FILTER": 1},
        # include/uapi/linux/netlink.h
        "SOL_NETLINK": {
            "NETLINK_ADD_MEMBERSHIP": 1, "NETLINK_DROP_MEMBERSHIP": 2, "NETLINK_PKTINFO": 3,
            "NETLINK_BROADCAST_ERROR": 4, "NETLINK_NO_ENOBUFS": 5, "NETLINK_LISTEN_ALL_NSID": 8,
            "NETLINK_LIST_MEMBERSHIPS": 9, "NETLINK_CAP_ACK": 10, "NETLINK_EXT_ACK": 11,
            "NETLINK_GET_STRICT_CHK": 12,
        },
        # include/uapi/linux/if_packet.h
        "SOL_PACKET": {
            "PACKET_ADD_MEMBERSHIP": 1, "PACKET_RX_RING": 5, "PACKET_STATISTICS": 6,
            "PACKET_COPY_THRESH": 7, "PACKET_AUXDATA": 8, "PACKET_ORIGDEV": 9, "PACKET_VERSION": 10,
            "PACKET_HDRLEN": 11, "PACKET_RESERVE": 12, "PACKET_TX_RING": 13, "PACKET_LOSS": 14,
            "PACKET_VNET_HDR": 15, "PACKET_TIMESTAMP": 17, "PACKET_FANOUT": 18,
            "PACKET_TX_HAS_OFF": 19, "PACKET_QDISC_BYPASS": 20, "PACKET_ROLLOVER_STATS": 21,
            "PACKET_IGNORE_OUTGOING": 23, "PACKET_VNET_HDR_SZ": 24,
        },
        # include/uapi/linux/vm_sockets.h
        "AF_VSOCK": {
            "SO_VM_SOCKETS_BUFFER_SIZE": 0, "SO_VM_SOCKETS_BUFFER_MIN_SIZE": 1,
            "SO_VM_SOCKETS_BUFFER_MAX_SIZE": 2, "SO_VM_SOCKETS_CONNECT_TIMEOUT": 6,
        },
        # include/uapi/linux/can/raw.h, can/j1939.h
        "SOL_CAN_RAW": {
            "CAN_RAW_FILTER": 1, "CAN_RAW_ERR_FILTER": 2, "CAN_RAW_LOOPBACK": 3,
            "CAN_RAW_RECV_OWN_MSGS": 4, "CAN_RAW_FD_FRAMES": 5, "CAN_RAW_JOIN_FILTERS": 6,
            "CAN_RAW_XL_FRAMES": 7,
        },
        "SOL_CAN_J1939": {
            "SO_J1939_FILTER": 1, "SO_J1939_PROMISC": 2, "SO_J1939_SEND_PRIO": 3, "SO_J1939_ERRQUEUE": 4,
        },
        # include/uapi/linux/tipc.h, if_alg.h, rds.h
        "SOL_TIPC": {
            "TIPC_IMPORTANCE": 127, "TIPC_SRC_DROPPABLE": 128, "TIPC_DEST_DROPPABLE": 129,
            "TIPC_CONN_TIMEOUT": 130,
        },
        "SOL_ALG": {"ALG_SET_KEY": 1, "ALG_SET_AEAD_AUTHSIZE": 5},
        "SOL_RDS": {
            "RDS_CANCEL_SENT_TO": 1, "RDS_GET_MR": 2, "RDS_FREE_MR": 3, "RDS_RECVERR": 5,
            "RDS_CONG_MONITOR": 6, "RDS_GET_MR_FOR_DEST": 7,
        },
    },
    "darwin": {
        # xnu bsd/sys/socket.h
        "SOL_SOCKET": {
            "SO_USELOOPBACK": 0x40, "SO_TIMESTAMP_MONOTONIC": 0x800, "SO_NREAD": 0x1020,
            "SO_NOSIGPIPE": 0x1022, "SO_NOADDRERR": 0x1023, "SO_NWRITE": 0x1024, "SO_LINGER_SEC": 0x1080,
        },
        # xnu bsd/netinet/in.h
        "IPPROTO_IP": {
            "IP_RECVDSTADDR": 7, "IP_PORTRANGE": 19, "IP_RECVIF": 20, "IP_RECVTTL": 24,
            "IP_BOUND_IF": 25, "IP_PKTINFO": 26, "IP_RECVTOS": 27, "IP_DONTFRAG": 28,
            "IP_ADD_SOURCE_MEMBERSHIP": 70, "IP_DROP_SOURCE_MEMBERSHIP": 71, "IP_BLOCK_SOURCE": 72,
            "IP_UNBLOCK_SOURCE": 73, "MCAST_JOIN_GROUP": 80, "MCAST_LEAVE_GROUP": 81,
            "MCAST_JOIN_SOURCE_GROUP": 82, "MCAST_LEAVE_SOURCE_GROUP": 83, "MCAST_BLOCK_SOURCE": 84,
            "MCAST_UNBLOCK_SOURCE": 85,
        },
        # xnu bsd/netinet6/in6.h (MCAST_* from in.h)
        "IPPROTO_IPV6": {
            "IPV6_PORTRANGE": 14, "IPV6_USE_MIN_MTU": 42, "IPV6_BOUND_IF": 125,
            "MCAST_JOIN_GROUP": 80, "MCAST_LEAVE_GROUP": 81, "MCAST_JOIN_SOURCE_GROUP": 82,
            "MCAST_LEAVE_SOURCE_GROUP": 83, "MCAST_BLOCK_SOURCE": 84, "MCAST_UNBLOCK_SOURCE": 85,
        },
        # xnu bsd/netinet/tcp.h, udp.h, icmp6.h; bsd/sys/un.h
        "IPPROTO_TCP": {
            "TCP_NOPUSH": 4, "TCP_NOOPT": 8, "TCP_KEEPALIVE": 0x10, "TCP_CONNECTIONTIMEOUT": 0x20,
            "TCP_RXT_CONNDROPTIME": 0x80, "TCP_KEEPINTVL": 0x101, "TCP_KEEPCNT": 0x102,
            "TCP_SENDMOREACKS": 0x103, "TCP_ENABLE_ECN": 0x104, "TCP_FASTOPEN": 0x105,
            "TCP_CONNECTION_INFO": 0x106, "TCP_NOTSENT_LOWAT": 0x201,
        },
        "IPPROTO_UDP": {"UDP_NOCKSUM": 1},
        "IPPROTO_ICMPV6": {"ICMP6_FILTER": 18},
        "SOL_LOCAL": {"LOCAL_PEERCRED": 1, "LOCAL_PEERPID": 2, "LOCAL_PEEREPID": 3},
    },
    "freebsd": {
        # sys/sys/socket.h
        "SOL_SOCKET": {
            "SO_USELOOPBACK": 0x40, "SO_NOSIGPIPE": 0x800, "SO_LISTENQLIMIT": 0x1011,
            "SO_LISTENQLEN": 0x1012, "SO_SETFIB": 0x1014, "SO_USER_COOKIE": 0x1015,
            "SO_REUSEPORT_LB": 0x10000,
        },
        # sys/netinet/in.h
        "IPPROTO_IP": {
            "IP_RECVDSTADDR": 7, "IP_PORTRANGE": 19, "IP_RECVIF": 20, "IP_BINDANY": 24,
            "IP_RECVTTL": 65, "IP_MINTTL": 66, "IP_DONTFRAG": 67, "IP_RECVTOS": 68,
            "IP_ADD_SOURCE_MEMBERSHIP": 70, "IP_DROP_SOURCE_MEMBERSHIP": 71, "IP_BLOCK_SOURCE": 72,
            "IP_UNBLOCK_SOURCE": 73, "MCAST_JOIN_GROUP": 80, "MCAST_LEAVE_GROUP": 81,
            "MCAST_JOIN_SOURCE_GROUP": 82, "MCAST_LEAVE_SOURCE_GROUP": 83, "MCAST_BLOCK_SOURCE": 84,
            "MCAST_UNBLOCK_SOURCE": 85,
        },
        # sys/netinet6/in6.h (MCAST_* from in.h)
        "IPPROTO_IPV6": {
            "IPV6_PORTRANGE": 14, "IPV6_USE_MIN_MTU": 42, "IPV6_BINDANY": 64,
            "MCAST_JOIN_GROUP": 80, "MCAST_LEAVE_GROUP": 81, "MCAST_JOIN_SOURCE_GROUP": 82,
            "MCAST_LEAVE_SOURCE_GROUP": 83, "MCAST_BLOCK_SOURCE": 84, "MCAST_UNBLOCK_SOURCE": 85,
        },
        # sys/netinet/tcp.h, sys/netinet/icmp6.h, sys/sys/un.h
        "IPPROTO_TCP": {
            "TCP_NOPUSH": 4, "TCP_NOOPT": 8, "TCP_MD5SIG": 16, "TCP_INFO": 32, "TCP_CONGESTION": 64,
            "TCP_KEEPINIT": 128, "TCP_KEEPIDLE": 256, "TCP_KEEPINTVL": 512, "TCP_KEEPCNT": 1024,
            "TCP_FASTOPEN": 1025,
        },
        "IPPROTO_ICMPV6": {"ICMP6_FILTER": 18},
        "SOL_LOCAL": {
            "LOCAL_PEERCRED": 1, "LOCAL_CREDS": 2, "LOCAL_CREDS_PERSISTENT": 3, "LOCAL_CONNWAIT": 4,
        },
    },
    "win32": {
        # shared/ws2def.h, winsock2.h, mswsock.h
        "SOL_SOCKET": {
            "SO_EXCLUSIVEADDRUSE": -5, "SO_DONTLINGER": -129, "SO_MAX_MSG_SIZE": 0x2003,
            "SO_CONDITIONAL_ACCEPT": 0x3002, "SO_RANDOMIZE_PORT": 0x3005,
            "SO_PORT_SCALABILITY": 0x3006, "SO_REUSE_UNICASTPORT": 0x3007, "SO_CONNECT_TIME": 0x700C,
        },
        # shared/ws2ipdef.h
        "IPPROTO_IP": {
            "IP_DONTFRAGMENT": 14, "IP_ADD_SOURCE_MEMBERSHIP": 15, "IP_DROP_SOURCE_MEMBERSHIP": 16,
            "IP_BLOCK_SOURCE": 17, "IP_UNBLOCK_SOURCE": 18, "IP_PKTINFO": 19, "IP_UNICAST_IF": 31,
            "MCAST_JOIN_GROUP": 41, "MCAST_LEAVE_GROUP": 42, "MCAST_BLOCK_SOURCE": 43,
            "MCAST_UNBLOCK_SOURCE": 44, "MCAST_JOIN_SOURCE_GROUP": 45, "MCAST_LEAVE_SOURCE_GROUP": 46,
            "IP_MTU_DISCOVER": 71, "IP_MTU": 73, "IP_RECVERR": 75,
        },
        "IPPROTO_IPV6": {
            "IPV6_UNICAST_IF": 31, "MCAST_JOIN_GROUP": 41, "MCAST_LEAVE_GROUP": 42,
            "MCAST_BLOCK_SOURCE": 43, "MCAST_UNBLOCK_SOURCE": 44, "MCAST_JOIN_SOURCE_GROUP": 45,
            "MCAST_LEAVE_SOURCE_GROUP": 46, "IPV6_MTU_DISCOVER": 71, "IPV6_MTU": 72, "IPV6_RECVERR": 75,
        },
        # shared/ws2ipdef.h (TCP_*), mstcpip.h
        "IPPROTO_TCP": {
            "TCP_KEEPALIVE": 3, "TCP_MAXRT": 5, "TCP_NOSYNRETRIES": 9, "TCP_TIMESTAMPS": 10,
            "TCP_FASTOPEN": 15, "TCP_KEEPCNT": 16, "TCP_KEEPINTVL": 17,
            "TCP_FAIL_CONNECT_ON_ICMP_ERROR": 18,
        },
        "IPPROTO_UDP": {"UDP_NOCHECKSUM": 1},
    },
}

"""Linux kernel modules that socket() loads on demand, by the family or protocol that asks.

socket() of a family the kernel lacks calls ``request_module("net-pf-N")`` (and
``net-pf-N-proto-P`` for some protocols), so probing can load modules. Users who must not change
their kernel's state skip these with ``--no-autoload``. Module names are those of the kernel
tree's Makefiles; the aliases are the ``MODULE_ALIAS_NETPROTO`` / ``MODULE_ALIAS_NET_PF_PROTO``
lines in each file named.
"""

from __future__ import annotations

from collections.abc import Mapping

#: family -> module (source file in torvalds/linux).
FAMILY_MODULES: Mapping[str, str] = {
    "AF_AX25": "ax25",  # net/ax25/af_ax25.c
    "AF_IPX": "ipx",  # net/ipx (removed in 4.16, still in some kernels)
    "AF_APPLETALK": "appletalk",  # net/appletalk/ddp.c
    "AF_NETROM": "netrom",  # net/netrom/af_netrom.c
    "AF_ATMPVC": "atm",  # net/atm/pvc.c
    "AF_ATMSVC": "atm",  # net/atm/svc.c
    "AF_X25": "x25",  # net/x25/af_x25.c
    "AF_INET6": "ipv6",  # net/ipv6/af_inet6.c (usually built in)
    "AF_ROSE": "rose",  # net/rose/af_rose.c
    "AF_DECnet": "decnet",  # net/decnet (removed in 6.1)
    "AF_KEY": "af_key",  # net/key/af_key.c
    "AF_PACKET": "af_packet",  # net/packet/af_packet.c (usually built in)
    "AF_RDS": "rds",  # net/rds/af_rds.c
    "AF_PPPOX": "pppox",  # drivers/net/ppp/pppox.c
    "AF_LLC": "llc2",  # net/llc/af_llc.c
    "AF_CAN": "can",  # net/can/af_can.c
    "AF_TIPC": "tipc",  # net/tipc/socket.c
    "AF_BLUETOOTH": "bluetooth",  # net/bluetooth/af_bluetooth.c
    "AF_IUCV": "af_iucv",  # net/iucv/af_iucv.c
    "AF_RXRPC": "rxrpc",  # net/rxrpc/af_rxrpc.c
    "AF_ISDN": "mISDN_core",  # drivers/isdn/mISDN/socket.c
    "AF_PHONET": "phonet",  # net/phonet/af_phonet.c
    "AF_IEEE802154": "ieee802154_socket",  # net/ieee802154/socket.c
    "AF_CAIF": "caif_socket",  # net/caif/caif_socket.c
    "AF_ALG": "af_alg",  # crypto/af_alg.c
    "AF_NFC": "nfc",  # net/nfc/af_nfc.c
    "AF_VSOCK": "vsock",  # net/vmw_vsock/af_vsock.c
    "AF_KCM": "kcm",  # net/kcm/kcmsock.c
    "AF_QIPCRTR": "qrtr",  # net/qrtr/af_qrtr.c
    "AF_SMC": "smc",  # net/smc/af_smc.c
    "AF_MCTP": "mctp",  # net/mctp/af_mctp.c
}

#: (family, protocol) -> module, for protocols loaded separately from their family.
PROTOCOL_MODULES: Mapping[tuple[str, str], str] = {
    ("AF_INET", "IPPROTO_SCTP"): "sctp",  # net/sctp/protocol.c
    ("AF_INET6", "IPPROTO_SCTP"): "sctp",
    ("AF_INET", "IPPROTO_DCCP"): "dccp_ipv4",  # net/dccp/ipv4.c (removed in 6.16)
    ("AF_INET6", "IPPROTO_DCCP"): "dccp_ipv6",
    ("AF_INET", "IPPROTO_L2TP"): "l2tp_ip",  # net/l2tp/l2tp_ip.c
    ("AF_INET6", "IPPROTO_L2TP"): "l2tp_ip6",
    ("AF_CAN", "CAN_RAW"): "can_raw",  # net/can/raw.c
    ("AF_CAN", "CAN_BCM"): "can_bcm",  # net/can/bcm.c
    ("AF_CAN", "CAN_ISOTP"): "can_isotp",  # net/can/isotp.c
    ("AF_CAN", "CAN_J1939"): "can_j1939",  # net/can/j1939/socket.c
}

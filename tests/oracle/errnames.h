/* errno names as the C library's headers define them: the oracle prints these, not Python's. */
#ifndef ORACLE_ERRNAMES_H
#define ORACLE_ERRNAMES_H
#include <errno.h>

#define E(name) {name, #name}
static const struct { int number; const char *name; } errnames[] = {
    /* the names reports prefer come first where two names share a number */
    E(EOPNOTSUPP), E(EAGAIN), E(EDEADLK), E(ETIMEDOUT),
    E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(EBADF), E(ENOMEM),
    E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV), E(EINVAL), E(ENFILE), E(EMFILE),
    E(ENOSPC), E(ERANGE), E(ENOSYS), E(ENODATA), E(ENONET), E(ENOPKG), E(EPROTO), E(EBADMSG),
    E(EOVERFLOW), E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT),
    E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE),
    E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS),
    E(EISCONN), E(ENOTCONN), E(ECONNREFUSED), E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS),
    E(ENOKEY), E(EKEYREJECTED), E(ENOTSUP), E(ENOLINK), E(ENOMEDIUM), E(ERFKILL), E(EHWPOISON),
    E(ENOTTY), E(ENOTBLK), E(EROFS),
};
#undef E

static const char *errname(int number) {
    for (unsigned i = 0; i < sizeof errnames / sizeof errnames[0]; i++)
        if (errnames[i].number == number) return errnames[i].name;
    return "E?";
}
#endif

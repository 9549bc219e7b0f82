package org.vigie.systemd;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The libc calls needed for AF_UNIX datagrams (Java 17 has no AF_UNIX datagram channel). Linux x86-64/arm64. */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    int MSG_NOSIGNAL = 0x4000;
    int SOL_SOCKET = 1;
    int SO_RCVTIMEO = 20;
    /** sizeof(struct sockaddr_un): sa_family_t (2 bytes) + sun_path[108]. */
    int SOCKADDR_UN_SIZE = 110;

    int socket(int domain, int type, int protocol);

    long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen);

    long recv(int fd, byte[] buf, long len, int flags);

    int bind(int fd, byte[] addr, int addrLen);

    int setsockopt(int fd, int level, int name, long[] value, int len);

    int close(int fd);
}

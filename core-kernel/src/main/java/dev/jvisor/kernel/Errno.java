package dev.jvisor.kernel;

/** Linux errno values (asm-generic/errno*.h), plus the kernel-internal restart codes. */
public final class Errno {
    private Errno() {}

    /** Operation not permitted */
    public static final int EPERM = 1;
    /** No such file or directory */
    public static final int ENOENT = 2;
    /** No such process */
    public static final int ESRCH = 3;
    /** Interrupted system call */
    public static final int EINTR = 4;
    /** I/O error */
    public static final int EIO = 5;
    /** No such device or address */
    public static final int ENXIO = 6;
    /** Argument list too long */
    public static final int E2BIG = 7;
    /** Exec format error */
    public static final int ENOEXEC = 8;
    /** Bad file number */
    public static final int EBADF = 9;
    /** No child processes */
    public static final int ECHILD = 10;
    /** Try again */
    public static final int EAGAIN = 11;
    /** Out of memory */
    public static final int ENOMEM = 12;
    /** Permission denied */
    public static final int EACCES = 13;
    /** Bad address */
    public static final int EFAULT = 14;
    /** Block device required */
    public static final int ENOTBLK = 15;
    /** Device or resource busy */
    public static final int EBUSY = 16;
    /** File exists */
    public static final int EEXIST = 17;
    /** Cross-device link */
    public static final int EXDEV = 18;
    /** No such device */
    public static final int ENODEV = 19;
    /** Not a directory */
    public static final int ENOTDIR = 20;
    /** Is a directory */
    public static final int EISDIR = 21;
    /** Invalid argument */
    public static final int EINVAL = 22;
    /** File table overflow */
    public static final int ENFILE = 23;
    /** Too many open files */
    public static final int EMFILE = 24;
    /** Not a typewriter */
    public static final int ENOTTY = 25;
    /** Text file busy */
    public static final int ETXTBSY = 26;
    /** File too large */
    public static final int EFBIG = 27;
    /** No space left on device */
    public static final int ENOSPC = 28;
    /** Illegal seek */
    public static final int ESPIPE = 29;
    /** Read-only file system */
    public static final int EROFS = 30;
    /** Too many links */
    public static final int EMLINK = 31;
    /** Broken pipe */
    public static final int EPIPE = 32;
    /** Math argument out of domain of func */
    public static final int EDOM = 33;
    /** Math result not representable */
    public static final int ERANGE = 34;
    /** Resource deadlock would occur */
    public static final int EDEADLK = 35;
    /** File name too long */
    public static final int ENAMETOOLONG = 36;
    /** No record locks available */
    public static final int ENOLCK = 37;
    /** Invalid system call number */
    public static final int ENOSYS = 38;
    /** Directory not empty */
    public static final int ENOTEMPTY = 39;
    /** Too many symbolic links encountered */
    public static final int ELOOP = 40;
    /** No message of desired type */
    public static final int ENOMSG = 42;
    /** Identifier removed */
    public static final int EIDRM = 43;
    /** Channel number out of range */
    public static final int ECHRNG = 44;
    /** Level 2 not synchronized */
    public static final int EL2NSYNC = 45;
    /** Level 3 halted */
    public static final int EL3HLT = 46;
    /** Level 3 reset */
    public static final int EL3RST = 47;
    /** Link number out of range */
    public static final int ELNRNG = 48;
    /** Protocol driver not attached */
    public static final int EUNATCH = 49;
    /** No CSI structure available */
    public static final int ENOCSI = 50;
    /** Level 2 halted */
    public static final int EL2HLT = 51;
    /** Invalid exchange */
    public static final int EBADE = 52;
    /** Invalid request descriptor */
    public static final int EBADR = 53;
    /** Exchange full */
    public static final int EXFULL = 54;
    /** No anode */
    public static final int ENOANO = 55;
    /** Invalid request code */
    public static final int EBADRQC = 56;
    /** Invalid slot */
    public static final int EBADSLT = 57;
    /** Bad font file format */
    public static final int EBFONT = 59;
    /** Device not a stream */
    public static final int ENOSTR = 60;
    /** No data available */
    public static final int ENODATA = 61;
    /** Timer expired */
    public static final int ETIME = 62;
    /** Out of streams resources */
    public static final int ENOSR = 63;
    /** Machine is not on the network */
    public static final int ENONET = 64;
    /** Package not installed */
    public static final int ENOPKG = 65;
    /** Object is remote */
    public static final int EREMOTE = 66;
    /** Link has been severed */
    public static final int ENOLINK = 67;
    /** Advertise error */
    public static final int EADV = 68;
    /** Srmount error */
    public static final int ESRMNT = 69;
    /** Communication error on send */
    public static final int ECOMM = 70;
    /** Protocol error */
    public static final int EPROTO = 71;
    /** Multihop attempted */
    public static final int EMULTIHOP = 72;
    /** RFS specific error */
    public static final int EDOTDOT = 73;
    /** Not a data message */
    public static final int EBADMSG = 74;
    /** Value too large for defined data type */
    public static final int EOVERFLOW = 75;
    /** Name not unique on network */
    public static final int ENOTUNIQ = 76;
    /** File descriptor in bad state */
    public static final int EBADFD = 77;
    /** Remote address changed */
    public static final int EREMCHG = 78;
    /** Can not access a needed shared library */
    public static final int ELIBACC = 79;
    /** Accessing a corrupted shared library */
    public static final int ELIBBAD = 80;
    /** .lib section in a.out corrupted */
    public static final int ELIBSCN = 81;
    /** Attempting to link in too many shared libraries */
    public static final int ELIBMAX = 82;
    /** Cannot exec a shared library directly */
    public static final int ELIBEXEC = 83;
    /** Illegal byte sequence */
    public static final int EILSEQ = 84;
    /** Interrupted system call should be restarted */
    public static final int ERESTART = 85;
    /** Streams pipe error */
    public static final int ESTRPIPE = 86;
    /** Too many users */
    public static final int EUSERS = 87;
    /** Socket operation on non-socket */
    public static final int ENOTSOCK = 88;
    /** Destination address required */
    public static final int EDESTADDRREQ = 89;
    /** Message too long */
    public static final int EMSGSIZE = 90;
    /** Protocol wrong type for socket */
    public static final int EPROTOTYPE = 91;
    /** Protocol not available */
    public static final int ENOPROTOOPT = 92;
    /** Protocol not supported */
    public static final int EPROTONOSUPPORT = 93;
    /** Socket type not supported */
    public static final int ESOCKTNOSUPPORT = 94;
    /** Operation not supported on transport endpoint */
    public static final int EOPNOTSUPP = 95;
    /** Protocol family not supported */
    public static final int EPFNOSUPPORT = 96;
    /** Address family not supported by protocol */
    public static final int EAFNOSUPPORT = 97;
    /** Address already in use */
    public static final int EADDRINUSE = 98;
    /** Cannot assign requested address */
    public static final int EADDRNOTAVAIL = 99;
    /** Network is down */
    public static final int ENETDOWN = 100;
    /** Network is unreachable */
    public static final int ENETUNREACH = 101;
    /** Network dropped connection because of reset */
    public static final int ENETRESET = 102;
    /** Software caused connection abort */
    public static final int ECONNABORTED = 103;
    /** Connection reset by peer */
    public static final int ECONNRESET = 104;
    /** No buffer space available */
    public static final int ENOBUFS = 105;
    /** Transport endpoint is already connected */
    public static final int EISCONN = 106;
    /** Transport endpoint is not connected */
    public static final int ENOTCONN = 107;
    /** Cannot send after transport endpoint shutdown */
    public static final int ESHUTDOWN = 108;
    /** Too many references: cannot splice */
    public static final int ETOOMANYREFS = 109;
    /** Connection timed out */
    public static final int ETIMEDOUT = 110;
    /** Connection refused */
    public static final int ECONNREFUSED = 111;
    /** Host is down */
    public static final int EHOSTDOWN = 112;
    /** No route to host */
    public static final int EHOSTUNREACH = 113;
    /** Operation already in progress */
    public static final int EALREADY = 114;
    /** Operation now in progress */
    public static final int EINPROGRESS = 115;
    /** Stale file handle */
    public static final int ESTALE = 116;
    /** Structure needs cleaning */
    public static final int EUCLEAN = 117;
    /** Not a XENIX named type file */
    public static final int ENOTNAM = 118;
    /** No XENIX semaphores available */
    public static final int ENAVAIL = 119;
    /** Is a named type file */
    public static final int EISNAM = 120;
    /** Remote I/O error */
    public static final int EREMOTEIO = 121;
    /** Quota exceeded */
    public static final int EDQUOT = 122;
    /** No medium found */
    public static final int ENOMEDIUM = 123;
    /** Wrong medium type */
    public static final int EMEDIUMTYPE = 124;
    /** Operation Canceled */
    public static final int ECANCELED = 125;
    /** Required key not available */
    public static final int ENOKEY = 126;
    /** Key has expired */
    public static final int EKEYEXPIRED = 127;
    /** Key has been revoked */
    public static final int EKEYREVOKED = 128;
    /** Key was rejected by service */
    public static final int EKEYREJECTED = 129;
    /** Owner died */
    public static final int EOWNERDEAD = 130;
    /** State not recoverable */
    public static final int ENOTRECOVERABLE = 131;
    /** Operation not possible due to RF-kill */
    public static final int ERFKILL = 132;
    /** Memory page has hardware error */
    public static final int EHWPOISON = 133;

    /** Kernel-internal: restart the syscall if no handler runs (or SA_RESTART). */
    public static final int ERESTARTSYS = 512;
    public static final int ERESTARTNOINTR = 513;
    public static final int ERESTARTNOHAND = 514;
    /** Kernel-internal: restart through restart_syscall with the task's restart block. */
    public static final int ERESTART_RESTARTBLOCK = 516;

    private static final String[] NAMES = new String[600];

    static {
        NAMES[1] = "EPERM";
        NAMES[2] = "ENOENT";
        NAMES[3] = "ESRCH";
        NAMES[4] = "EINTR";
        NAMES[5] = "EIO";
        NAMES[6] = "ENXIO";
        NAMES[7] = "E2BIG";
        NAMES[8] = "ENOEXEC";
        NAMES[9] = "EBADF";
        NAMES[10] = "ECHILD";
        NAMES[11] = "EAGAIN";
        NAMES[12] = "ENOMEM";
        NAMES[13] = "EACCES";
        NAMES[14] = "EFAULT";
        NAMES[15] = "ENOTBLK";
        NAMES[16] = "EBUSY";
        NAMES[17] = "EEXIST";
        NAMES[18] = "EXDEV";
        NAMES[19] = "ENODEV";
        NAMES[20] = "ENOTDIR";
        NAMES[21] = "EISDIR";
        NAMES[22] = "EINVAL";
        NAMES[23] = "ENFILE";
        NAMES[24] = "EMFILE";
        NAMES[25] = "ENOTTY";
        NAMES[26] = "ETXTBSY";
        NAMES[27] = "EFBIG";
        NAMES[28] = "ENOSPC";
        NAMES[29] = "ESPIPE";
        NAMES[30] = "EROFS";
        NAMES[31] = "EMLINK";
        NAMES[32] = "EPIPE";
        NAMES[33] = "EDOM";
        NAMES[34] = "ERANGE";
        NAMES[35] = "EDEADLK";
        NAMES[36] = "ENAMETOOLONG";
        NAMES[37] = "ENOLCK";
        NAMES[38] = "ENOSYS";
        NAMES[39] = "ENOTEMPTY";
        NAMES[40] = "ELOOP";
        NAMES[42] = "ENOMSG";
        NAMES[43] = "EIDRM";
        NAMES[44] = "ECHRNG";
        NAMES[45] = "EL2NSYNC";
        NAMES[46] = "EL3HLT";
        NAMES[47] = "EL3RST";
        NAMES[48] = "ELNRNG";
        NAMES[49] = "EUNATCH";
        NAMES[50] = "ENOCSI";
        NAMES[51] = "EL2HLT";
        NAMES[52] = "EBADE";
        NAMES[53] = "EBADR";
        NAMES[54] = "EXFULL";
        NAMES[55] = "ENOANO";
        NAMES[56] = "EBADRQC";
        NAMES[57] = "EBADSLT";
        NAMES[59] = "EBFONT";
        NAMES[60] = "ENOSTR";
        NAMES[61] = "ENODATA";
        NAMES[62] = "ETIME";
        NAMES[63] = "ENOSR";
        NAMES[64] = "ENONET";
        NAMES[65] = "ENOPKG";
        NAMES[66] = "EREMOTE";
        NAMES[67] = "ENOLINK";
        NAMES[68] = "EADV";
        NAMES[69] = "ESRMNT";
        NAMES[70] = "ECOMM";
        NAMES[71] = "EPROTO";
        NAMES[72] = "EMULTIHOP";
        NAMES[73] = "EDOTDOT";
        NAMES[74] = "EBADMSG";
        NAMES[75] = "EOVERFLOW";
        NAMES[76] = "ENOTUNIQ";
        NAMES[77] = "EBADFD";
        NAMES[78] = "EREMCHG";
        NAMES[79] = "ELIBACC";
        NAMES[80] = "ELIBBAD";
        NAMES[81] = "ELIBSCN";
        NAMES[82] = "ELIBMAX";
        NAMES[83] = "ELIBEXEC";
        NAMES[84] = "EILSEQ";
        NAMES[85] = "ERESTART";
        NAMES[86] = "ESTRPIPE";
        NAMES[87] = "EUSERS";
        NAMES[88] = "ENOTSOCK";
        NAMES[89] = "EDESTADDRREQ";
        NAMES[90] = "EMSGSIZE";
        NAMES[91] = "EPROTOTYPE";
        NAMES[92] = "ENOPROTOOPT";
        NAMES[93] = "EPROTONOSUPPORT";
        NAMES[94] = "ESOCKTNOSUPPORT";
        NAMES[95] = "EOPNOTSUPP";
        NAMES[96] = "EPFNOSUPPORT";
        NAMES[97] = "EAFNOSUPPORT";
        NAMES[98] = "EADDRINUSE";
        NAMES[99] = "EADDRNOTAVAIL";
        NAMES[100] = "ENETDOWN";
        NAMES[101] = "ENETUNREACH";
        NAMES[102] = "ENETRESET";
        NAMES[103] = "ECONNABORTED";
        NAMES[104] = "ECONNRESET";
        NAMES[105] = "ENOBUFS";
        NAMES[106] = "EISCONN";
        NAMES[107] = "ENOTCONN";
        NAMES[108] = "ESHUTDOWN";
        NAMES[109] = "ETOOMANYREFS";
        NAMES[110] = "ETIMEDOUT";
        NAMES[111] = "ECONNREFUSED";
        NAMES[112] = "EHOSTDOWN";
        NAMES[113] = "EHOSTUNREACH";
        NAMES[114] = "EALREADY";
        NAMES[115] = "EINPROGRESS";
        NAMES[116] = "ESTALE";
        NAMES[117] = "EUCLEAN";
        NAMES[118] = "ENOTNAM";
        NAMES[119] = "ENAVAIL";
        NAMES[120] = "EISNAM";
        NAMES[121] = "EREMOTEIO";
        NAMES[122] = "EDQUOT";
        NAMES[123] = "ENOMEDIUM";
        NAMES[124] = "EMEDIUMTYPE";
        NAMES[125] = "ECANCELED";
        NAMES[126] = "ENOKEY";
        NAMES[127] = "EKEYEXPIRED";
        NAMES[128] = "EKEYREVOKED";
        NAMES[129] = "EKEYREJECTED";
        NAMES[130] = "EOWNERDEAD";
        NAMES[131] = "ENOTRECOVERABLE";
        NAMES[132] = "ERFKILL";
        NAMES[133] = "EHWPOISON";
        NAMES[ERESTARTSYS] = "ERESTARTSYS";
        NAMES[ERESTARTNOINTR] = "ERESTARTNOINTR";
        NAMES[ERESTARTNOHAND] = "ERESTARTNOHAND";
        NAMES[ERESTART_RESTARTBLOCK] = "ERESTART_RESTARTBLOCK";
    }

    /** The symbolic name of an errno, e.g. "ENOENT". */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno] : "E" + errno;
    }
}

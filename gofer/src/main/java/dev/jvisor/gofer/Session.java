package dev.jvisor.gofer;

import java.util.Map;

/** The state of one connection that the request handlers share: exports, fids and negotiated limits. */
final class Session {
    final Map<String, ExportRoot> exports;
    final FidTable fids = new FidTable();
    /** Frame limit agreed by VERSION; 0 until then. */
    int maxFrame;

    Session(Map<String, ExportRoot> exports) {
        this.exports = exports;
    }

    boolean handshakeDone() {
        return maxFrame != 0;
    }

    int maxIo() {
        return Protocol.maxIo(maxFrame);
    }
}

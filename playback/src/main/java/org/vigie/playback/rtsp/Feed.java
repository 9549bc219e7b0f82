package org.vigie.playback.rtsp;

/** The media source of one RTSP session, live or archive. Thread-safe: controlled from RTSP worker threads. */
interface Feed extends AutoCloseable {

    /** Stops sending; a later play resumes. */
    void pause();

    /** The client's connection became writable again: resume sending if it was held back. */
    void onWritable();

    /** Frames this session did not send because the client was too slow (live) . */
    long dropped();

    @Override
    void close();
}

package org.vigie.playback.ws;

/** One open channel of a connection, live or archive. Methods are called on the connection's event loop. */
interface ViewChannel {

    int id();

    /** The stream shown. */
    org.vigie.media.StreamKey key();

    /** Where it sends (its mask state: {@link ChannelOutput#masks()}). */
    ChannelOutput output();

    /** True for an archive replay (the right needed is archive view), false for live. */
    boolean archive();

    /** Starts sending. */
    void start();

    /** The connection became writable again: continue where sending stopped. */
    void resume();

    /** A control message for this channel (pause, resume, speed, seek, step); refuses what it does not support. */
    void command(Command c) throws ChannelRefusedException;

    /** Frames dropped for this viewer so far (a slow reader). */
    long dropped();

    /** Frames sent so far. */
    long sent();

    /** Stops sending and releases the subscription or the archive cursor. Idempotent. */
    void close();
}

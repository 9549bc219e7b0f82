package org.vigie.recorder.storage;

/** When the segment writer forces data to disk. */
public enum FsyncPolicy {
    /** fsync the segment file after every fragment, before its index entry is written (the default). */
    FRAGMENT,
    /** Never fsync while recording (only at segment close): a power loss may lose the page cache's content. */
    NONE
}

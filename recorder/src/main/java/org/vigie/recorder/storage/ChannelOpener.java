package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/** Opens the files a {@link SegmentWriter} writes: {@link FileChannel#open} in production, a faulty one in tests. */
@FunctionalInterface
interface ChannelOpener {

    ChannelOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}

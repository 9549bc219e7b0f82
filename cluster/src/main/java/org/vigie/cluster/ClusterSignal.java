package org.vigie.cluster;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Something in the shared store changed, read it again": a znode {@code /signals/<name>} that a node touches after
 * writing to PostgreSQL ({@link #raise()}) and that every node watches, calling {@code onRaised} at each change made
 * by any node (this one included). It carries no data: the store is the truth, the signal only ends the wait of a
 * node that keeps a copy of it (the privacy masks its streams apply without blocking). A node that misses a signal
 * (ZooKeeper unreachable) still reads the store at its own period.
 *
 * <p>{@code onRaised} runs on Curator's event thread: it must not block (schedule the reload elsewhere).
 */
public final class ClusterSignal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSignal.class);
    static final String SIGNALS = "/signals";

    private final CuratorFramework client;
    private final String path;
    private final InstantSource clock;
    private final CuratorCache cache;

    ClusterSignal(CuratorFramework client, String name, InstantSource clock, Runnable onRaised) {
        if (!name.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("signal name: " + name);
        this.client = client;
        this.path = SIGNALS + "/" + name;
        this.clock = clock;
        this.cache = CuratorCache.build(client, path, CuratorCache.Options.SINGLE_NODE_CACHE);
        // the first raise creates the znode: creates count as changes, the initial load does not
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> {
                    try {
                        onRaised.run();
                    } catch (RuntimeException e) {
                        LOG.warn("cluster: signal {}: {}", path, e.toString());
                    }
                })
                .afterInitialized()
                .build());
        cache.start();
    }

    /** Tells every node, in the background; never blocks (a failure is logged: the others read at their period). */
    public void raise() {
        byte[] stamp = Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8);
        try {
            client.setData().inBackground((c, event) -> {
                if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    c.create().creatingParentContainersIfNeeded().inBackground((c2, created) -> {
                        if (created.getResultCode() == KeeperException.Code.NODEEXISTS.intValue()) {
                            c2.setData().inBackground().forPath(path, stamp);
                        }
                    }).forPath(path, stamp);
                } else if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
                    LOG.warn("cluster: signal {} not raised ({}); the other nodes see the change at their next "
                            + "reload", path, KeeperException.Code.get(event.getResultCode()));
                }
            }).forPath(path, stamp);
        } catch (Exception e) {
            LOG.warn("cluster: signal {} not raised ({})", path, e.toString());
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}

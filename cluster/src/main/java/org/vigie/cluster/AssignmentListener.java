package org.vigie.cluster;

import java.util.Set;

/**
 * What a node does with the cluster's decisions (the server implements it over its camera registry). Called on the
 * cluster's one thread, in order; it must not block for long (start and stop cameras asynchronously).
 */
public interface AssignmentListener {

    /**
     * The cameras this node must record now: start those it does not record, stop the others. Called at each change
     * of the assignment that concerns this node, never while ZooKeeper is unreachable (the node then keeps what it
     * records: a duplicate for a while is acceptable, a gap is not).
     */
    void assigned(Set<String> cameras);

    /** A node changed the cluster's cameras (added, changed or removed through the API): reload them. */
    void camerasChanged();
}

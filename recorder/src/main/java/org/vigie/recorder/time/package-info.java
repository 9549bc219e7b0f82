/** Wall-clock time of frames: {@link org.vigie.recorder.time.WallClockMapper} maps media time to UTC. */
package org.vigie.recorder.time;

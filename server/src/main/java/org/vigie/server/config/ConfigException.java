package org.vigie.server.config;

/**
 * A configuration file that cannot be used: names the offending key (as a path such as {@code cameras[2].url})
 * and the reason. The launcher prints it and exits with {@link #EXIT_CODE}, which the systemd unit lists in
 * {@code RestartPreventExitStatus} so that a bad configuration does not restart in a loop.
 */
public final class ConfigException extends Exception {

    /** Exit status of the launcher on a configuration error (EX_CONFIG from sysexits.h). */
    public static final int EXIT_CODE = 78;

    private final String key;

    public ConfigException(String key, String reason) {
        super(key.isEmpty() ? reason : key + ": " + reason);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

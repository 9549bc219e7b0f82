package org.vigie.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.DiscoveredDevice;
import org.vigie.camera.discovery.AddressRange;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.DiscoveryConfig;
import org.vigie.server.config.Durations;
import org.vigie.server.config.VmsConfig;
import org.vigie.server.onvif.CameraDiscovery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms discover [--interface IF] [--timeout 3s] [--range 10.1.2.0/24] [--config FILE]}: finds ONVIF cameras by
 * WS-Discovery and prints one tab-separated line per device: endpoint reference, XAddrs, name, hardware, location.
 * Defaults come from the {@code discovery} section of the configuration ({@code interface: lo} unless set, so a
 * probe never leaves the machine by accident). Exit status 0, also when nothing answered; 2 on a bad option;
 * 78 on a bad configuration file.
 */
@Command(name = "discover", mixinStandardHelpOptions = true,
        description = "Find ONVIF cameras (WS-Discovery): one line per device: endpoint, XAddrs, name, hardware, location.")
public final class DiscoverCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Configuration file whose 'discovery' section gives the defaults "
            + "(default: ${sys:vms.home:-.}/conf/vms.yaml when it exists).")
    Path config;

    @Option(names = "--interface", description = "Interface of the multicast probe, e.g. eth0 (default: discovery.interface, else lo).")
    String networkInterface;

    @Option(names = "--timeout", description = "How long answers are collected, e.g. 3s (default: discovery.timeout).")
    String timeout;

    @Option(names = "--range", description = "Probe these addresses by unicast instead (10.1.2.0/24, 10.1.2.10-10.1.2.60, at most 4096).")
    String range;

    @Option(names = "--port", description = "WS-Discovery port of the cameras (default: discovery.port, 3702).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        DiscoveryConfig base = DiscoveryConfig.DEFAULTS;
        Path file = config != null ? config : Path.of(System.getProperty("vms.home", "."), "conf", "vms.yaml");
        if (config != null || Files.isRegularFile(file)) {
            VmsConfig c = ConfigFiles.loadOrReport(file);
            if (c == null) {
                return ConfigException.EXIT_CODE;
            }
            base = c.discovery();
        }
        Optional<AddressRange> addresses;
        Duration window;
        try {
            addresses = range == null ? Optional.empty() : Optional.of(AddressRange.parse(range));
            window = timeout == null ? base.timeout() : Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            System.err.println("discover: " + e.getMessage());
            return 2;
        }
        DiscoveryConfig c = new DiscoveryConfig(networkInterface != null ? networkInterface : base.networkInterface(),
                window, port != null ? port : base.port());
        List<DiscoveredDevice> found;
        try (CameraDiscovery discovery = CameraDiscovery.open(c)) {
            found = discovery.discover(addresses, Optional.empty());
        } catch (java.net.SocketException | IllegalArgumentException e) {
            System.err.println("discover: " + e.getMessage());
            return 2;
        } catch (CameraDriverException e) {
            System.err.println("discover: " + e.getMessage());
            return 1;
        }
        for (DiscoveredDevice d : found) {
            System.out.println(CameraDiscovery.line(d));
        }
        System.err.println("discover: " + found.size() + " device(s) on " + c.networkInterface()
                + addresses.map(a -> " (unicast " + range + ")").orElse(" (multicast)") + " in " + Durations.format(window));
        return 0;
    }
}

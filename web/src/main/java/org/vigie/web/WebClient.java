package org.vigie.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The operators' browser client: the static files under {@code org/vigie/web/} of this module (ES modules, style
 * sheet, message files, vendored libraries), read once into memory so that serving them never does I/O. The
 * server maps {@code GET /} to {@link #INDEX} and {@code GET /<path>} to the file of that path, if it is in the
 * table; a path is looked up as a whole, so no request can name another resource or a file on disk.
 *
 * <p>Immutable; thread-safe.
 */
public final class WebClient {

    /** Where the files are on the class path. */
    static final String ROOT = "org/vigie/web/";
    /** The page served at {@code /}. */
    public static final String INDEX = "index.html";
    /** What a served path may look like: lower-case segments of letters, digits, dots, dashes and underscores. */
    static final Pattern PATH = Pattern.compile("([a-z0-9_-]+/){0,3}[a-z0-9_.-]{1,64}\\.[a-z0-9]{1,5}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");

    /** One file: its bytes and its media type. */
    public record File(byte[] bytes, String contentType) {
    }

    private final Map<String, File> files;

    private WebClient(Map<String, File> files) {
        this.files = Map.copyOf(files);
    }

    /** Reads every file of the client from the class path (a jar, or a folder in a development build). */
    public static WebClient load() {
        URL marker = WebClient.class.getClassLoader().getResource(ROOT + INDEX);
        if (marker == null) throw new IllegalStateException(ROOT + INDEX + " missing from the class path");
        Map<String, File> files = new TreeMap<>();
        try {
            if (marker.getProtocol().equals("jar")) {
                java.net.JarURLConnection c = (java.net.JarURLConnection) marker.openConnection();
                c.setUseCaches(false);
                try (JarFile jf = c.getJarFile()) {
                    Enumeration<JarEntry> en = jf.entries();
                    while (en.hasMoreElements()) {
                        JarEntry e = en.nextElement();
                        if (e.isDirectory() || !e.getName().startsWith(ROOT)) continue;
                        try (InputStream in = jf.getInputStream(e)) {
                            add(files, e.getName().substring(ROOT.length()), in.readAllBytes());
                        }
                    }
                }
            } else {
                Path root = Path.of(marker.toURI()).getParent();
                try (Stream<Path> all = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                        add(files, root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new WebClient(files);
    }

    private static void add(Map<String, File> files, String path, byte[] bytes) {
        if (path.endsWith(".class")) return;
        if (!PATH.matcher(path).matches()) {
            throw new IllegalStateException("web client file with an unservable name: " + path);
        }
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        if (type == null) throw new IllegalStateException("web client file of unknown type: " + path);
        files.put(path, new File(bytes, type));
    }

    /**
     * The file a request path names ({@code /} is {@link #INDEX}), or empty. The path is the URL's path, decoded;
     * anything that is not exactly a file of the table (dot segments, back slashes, upper case) is empty.
     */
    public Optional<File> file(String requestPath) {
        if (requestPath.equals("/")) return Optional.of(files.get(INDEX));
        if (!requestPath.startsWith("/")) return Optional.empty();
        String p = requestPath.substring(1);
        if (!PATH.matcher(p).matches()) return Optional.empty();
        return Optional.ofNullable(files.get(p));
    }

    /** Every served path, sorted (tests and the doctor). */
    public java.util.Set<String> paths() {
        return new java.util.TreeSet<>(files.keySet());
    }
}

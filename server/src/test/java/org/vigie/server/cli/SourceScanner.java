package org.vigie.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds, in every source file of the project, the GStreamer element names and the commands the code uses, for
 * {@link DoctorTableTest}. It reads the whole tree (any module, scripts, test-support), so that code moving between
 * modules stays covered. Two rules find elements:
 *
 * <ul>
 *   <li>syntax: the words at element positions of a pipeline description, that is of a Java statement whose
 *       string literals hold a lone {@code !} (every bare lower-case word there: properties have {@code =}, caps a
 *       {@code /}, pad references a {@code .}; a non-literal part counts as an unknown word), of a Python string
 *       holding a lone {@code !} or of a shell line with two (the word after each {@code !}, and the first); and
 *       the first argument of {@code ElementFactory.make};</li>
 *   <li>registry: in a file that builds pipelines, every word of its string literals (or, for shell, of its
 *       lines) that GStreamer's registry knows as an element: this catches names held in variables, such as the
 *       decoder chosen by codec.</li>
 * </ul>
 */
final class SourceScanner {

    /** A word found in a source file. */
    record Use(String name, Path file, int line, String rule) {
        @Override
        public String toString() {
            return name + " (" + file + ":" + line + ", " + rule + ")";
        }
    }

    /** A string literal (or, in shell, a line) with the code just before it and the statement it belongs to. */
    record Literal(String text, int line, String codeBefore, int statement) {
    }

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern ELEMENT_WORD = Pattern.compile("[a-z][a-z0-9_-]*[a-z0-9]");
    private static final Pattern LONE_BANG = Pattern.compile("(^|\\s)!(\\s|$)");
    /** Text for people, not a pipeline description: a comma, full stop or apostrophe before a space, or a final stop. */
    private static final Pattern PROSE = Pattern.compile("[,.;:'](\\s|$)|'s\\b");
    private static final Pattern MAKE = Pattern.compile("ElementFactory\\.make\\(\\s*\"([^\"]+)\"");
    private static final Pattern GST_FILE = Pattern.compile("ElementFactory|parseLaunch|parseBinFromDescription|gst-launch-1\\.0|set_launch");
    /** Code before a literal that makes it the program of a command line. */
    private static final Pattern ARGV0 = Pattern.compile("(ProcessBuilder|List\\.of|asList|\\brun|\\bexec)\\(\\s*(\\d+\\s*,\\s*(List\\.of\\()?)?$");

    private final Path root;

    SourceScanner(Path root) {
        this.root = root;
    }

    /** The project's source files: Java, Python and shell (scripts with a shell shebang), outside build output. */
    List<Path> sourceFiles(Predicate<Path> exclude) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> root.relativize(p).toString().split("/").length > 0)
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            String n = part.toString();
                            if (n.equals("target") || n.equals("node_modules") || n.startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .filter(p -> language(p) != null)
                    .filter(exclude.negate())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "java", "python", "shell", or null for any other file. */
    static String language(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith(".java")) {
            return "java";
        }
        if (n.endsWith(".py")) {
            return "python";
        }
        if (n.endsWith(".sh")) {
            return "shell";
        }
        if (!n.contains(".")) {
            try {
                String first = Files.readAllLines(p).stream().findFirst().orElse("");
                return first.startsWith("#!") && first.matches(".*\\b(ba)?sh\\b.*") ? "shell" : null;
            } catch (IOException | UncheckedIOException e) {
                return null; // binary
            }
        }
        return null;
    }

    /** The element names of one file (registry: the element names GStreamer knows). */
    List<Use> elements(Path file, Set<String> registry) throws IOException {
        String text = Files.readString(file);
        String lang = language(file);
        List<Literal> literals = switch (lang) {
            case "java" -> literals(text, false);
            case "python" -> literals(text, true);
            default -> shellLines(text);
        };
        Path rel = root.relativize(file);
        List<Use> found = new ArrayList<>();
        Matcher make = MAKE.matcher(text);
        while (make.find()) {
            found.add(new Use(make.group(1), rel, lineOf(text, make.start()), "ElementFactory.make"));
        }
        boolean gstFile = GST_FILE.matcher(text).find();
        if (lang.equals("java")) {
            // a statement is a pipeline when its literals, joined as the code joins them, hold a lone "!"
            int i = 0;
            while (i < literals.size()) {
                int j = i;
                StringBuilder joined = new StringBuilder();
                while (j < literals.size() && literals.get(j).statement() == literals.get(i).statement()) {
                    Literal l = literals.get(j);
                    if (j > i) {
                        String between = l.codeBefore().strip();
                        boolean glued = between.startsWith("+") || between.endsWith("+");
                        joined.append(glued && !between.contains(",") ? "X" : " X ");
                    }
                    joined.append(PROSE.matcher(l.text()).find() ? " X " : l.text());
                    j++;
                }
                if (LONE_BANG.matcher(joined).find()) {
                    gstFile = true;
                    for (String w : joined.toString().split("\\s+")) {
                        if (ELEMENT_WORD.matcher(w).matches()) {
                            found.add(new Use(w, rel, literals.get(i).line(), "pipeline statement"));
                        }
                    }
                }
                i = j;
            }
        } else {
            boolean shell = lang.equals("shell");
            for (Literal l : literals) {
                long bangs = l.text().split("(?<=\\s|^)!(?=\\s|$)", -1).length - 1L;
                // a shell line's "!" may be a negation: only lines with two, in a script that runs gst-launch-1.0
                if (shell ? bangs >= 2 && gstFile : bangs >= 1 && !PROSE.matcher(l.text()).find()) {
                    gstFile = true;
                    String[] words = l.text().strip().split("\\s+");
                    for (int k = 0; k < words.length; k++) {
                        boolean position = k == 0 ? !shell && !words[0].equals("!") : words[k - 1].equals("!");
                        if (position && ELEMENT_WORD.matcher(words[k]).matches()) {
                            found.add(new Use(words[k], rel, l.line(), "pipeline string"));
                        }
                    }
                }
            }
        }
        if (gstFile) {
            for (Literal l : literals) {
                if (!lang.equals("shell") && PROSE.matcher(l.text()).find()) {
                    continue;
                }
                // properties (k=v), caps and paths (a '/') and pad references are not element names
                for (String token : l.text().split("[\\s\"'(),\\[\\]]+")) {
                    if (token.contains("=") || token.contains("/") || token.contains(".")) {
                        continue;
                    }
                    Matcher w = WORD.matcher(token);
                    while (w.find()) {
                        if (registry.contains(w.group())) {
                            found.add(new Use(w.group(), rel, l.line(), "registry"));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The programs that Java code runs: the first literal of a command line, or an absolute /usr/bin path. */
    List<Use> commands(Path file) throws IOException {
        if (!"java".equals(language(file))) {
            return List.of();
        }
        String text = Files.readString(file);
        List<Use> found = new ArrayList<>();
        for (Literal l : literals(text, false)) {
            String t = l.text();
            Matcher abs = Pattern.compile("^/(usr/)?s?bin/([\\w.+-]+)$").matcher(t);
            if (abs.matches()) {
                found.add(new Use(abs.group(2), root.relativize(file), l.line(), "absolute path"));
            } else if (t.matches("[\\w.+-]+") && ARGV0.matcher(l.codeBefore()).find()) {
                found.add(new Use(t, root.relativize(file), l.line(), "command line"));
            }
        }
        return found;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * The string literals of Java or Python source (comments skipped), each with the code between it and the
     * previous literal and its statement number (a statement ends at ';', '{' or '}' in Java, at a newline outside
     * brackets in Python).
     */
    static List<Literal> literals(String s, boolean python) {
        List<Literal> out = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        int statement = 0;
        int depth = 0;
        int line = 1;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!python && s.startsWith("//", i) || python && c == '#') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (!python && s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                line += count(s, i, end);
                i = end;
                continue;
            }
            if (!python && c == '\'') { // a char literal
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != '\'') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
                code.append("c");
                continue;
            }
            String triple = python ? (s.startsWith("\"\"\"", i) ? "\"\"\"" : s.startsWith("'''", i) ? "'''" : null)
                    : s.startsWith("\"\"\"", i) ? "\"\"\"" : null;
            if (triple != null) {
                int end = s.indexOf(triple, i + 3);
                end = end < 0 ? s.length() : end;
                out.add(new Literal(s.substring(i + 3, end), line, code.toString(), statement));
                code.setLength(0);
                line += count(s, i, end);
                i = end + 3;
                continue;
            }
            if (c == '"' || python && c == '\'') {
                int end = i + 1;
                StringBuilder lit = new StringBuilder();
                while (end < s.length() && s.charAt(end) != c && s.charAt(end) != '\n') {
                    if (s.charAt(end) == '\\' && end + 1 < s.length()) {
                        lit.append(s.charAt(end + 1));
                        end += 2;
                    } else {
                        lit.append(s.charAt(end++));
                    }
                }
                out.add(new Literal(lit.toString(), line, code.toString(), statement));
                code.setLength(0);
                i = end + 1;
                continue;
            }
            if (c == '\n') {
                line++;
                if (python && depth == 0) {
                    statement++;
                    code.setLength(0);
                }
            }
            if (python && (c == '(' || c == '[' || c == '{')) {
                depth++;
            } else if (python && (c == ')' || c == ']' || c == '}')) {
                depth = Math.max(0, depth - 1);
            } else if (!python && (c == ';' || c == '{' || c == '}')) {
                statement++;
                code.setLength(0);
                i++;
                continue;
            }
            code.append(c);
            i++;
        }
        return out;
    }

    /** A shell script's lines, comments removed, each its own statement. */
    static List<Literal> shellLines(String s) {
        List<Literal> out = new ArrayList<>();
        String[] lines = s.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String l = lines[n].strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(new Literal(l, n + 1, "", n));
            }
        }
        return out;
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < Math.min(to, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that a launcher's class path can run its main class, without running it:
 * {@code java bin/lib/LaunchCheck.java CLASSPATH MAIN}. It loads MAIN and, following the class references in the
 * class files' constant pools, every class MAIN can reach through actord's own classes (io.actord.*), and
 * every other class one of those names directly (a library's own references are the library's business).
 * Prints what it loaded, or each class that is missing and who needs it, and exits 0 or 1. Loading a main
 * class alone proves little: the JVM looks up a class only when the code first touches it, which is how
 * bin/bench once failed with NoClassDefFoundError halfway through its set-up.
 */
public final class LaunchCheck {
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java LaunchCheck.java CLASSPATH MAIN");
            System.exit(2);
        }
        String[] entries = args[0].split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = new File(entries[i]).toURI().toURL();
        }
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Set<String> missing = new TreeSet<>();
            int loaded = walk(loader, args[1].replace('.', '/'), missing);
            if (!missing.isEmpty()) {
                missing.forEach(m -> System.out.println("launch check: missing " + m));
                System.out.println("launch check: " + args[1] + " cannot run from this class path");
                System.exit(1);
            }
            System.out.println("launch check: " + args[1] + " and the " + loaded + " classes it reaches load");
        }
    }

    private static int walk(ClassLoader loader, String main, Set<String> missing) throws IOException {
        Set<String> seen = new HashSet<>(Set.of(main));
        Deque<String[]> todo = new ArrayDeque<>();
        todo.add(new String[]{main, "the command line"});
        int loaded = 0;
        while (!todo.isEmpty()) {
            String[] next = todo.poll();
            String name = next[0];
            try {
                Class.forName(name.replace('/', '.'), false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(name.replace('/', '.') + " (needed by " + next[1] + ")");
                continue;
            }
            if (!name.startsWith("io/actord/")) {
                continue;
            }
            try (InputStream in = loader.getResourceAsStream(name + ".class")) {
                if (in == null) {
                    continue;
                }
                for (String ref : classReferences(new DataInputStream(in))) {
                    if (seen.add(ref)) {
                        todo.add(new String[]{ref, name.replace('/', '.')});
                    }
                }
            }
        }
        return loaded;
    }

    /** The classes a class file's constant pool names (CONSTANT_Class entries), arrays by their element. */
    static Set<String> classReferences(DataInputStream in) throws IOException {
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        int classes = 0;
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames[classes++] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> refs = new HashSet<>();
        for (int c = 0; c < classes; c++) {
            String n = utf8[classNames[c]];
            if (n.startsWith("[")) {
                int l = n.indexOf('L');
                if (l < 0) {
                    continue;
                }
                n = n.substring(l + 1, n.length() - 1);
            }
            refs.add(n);
        }
        return refs;
    }
}

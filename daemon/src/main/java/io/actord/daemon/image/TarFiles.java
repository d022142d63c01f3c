package io.actord.daemon.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An image inside a tar file. The members are indexed once (headers only, data skipped by seeking), and
 * each file is then read in place; symbolic and hard links between members (older {@code docker save}
 * links repeated layers) are followed within the archive.
 */
final class TarFiles implements ImageFiles {
    private static final int MAX_LINKS = 16;

    private record Member(long offset, long size, String link) {
    }

    private final Path file;
    private final Map<String, Member> members;

    private TarFiles(Path file, Map<String, Member> members) {
        this.file = file;
        this.members = members;
    }

    static TarFiles index(Path file) throws IOException {
        Map<String, Member> members = new HashMap<>();
        try (InputStream in = new BufferedInputStream(java.nio.file.Files.newInputStream(file), 64 * 1024)) {
            TarReader reader = new TarReader(in, file.toString(), true);
            for (Optional<TarEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
                TarEntry t = e.get();
                String name = stripDotSlash(t.name());
                switch (t.type()) {
                    case FILE -> members.put(name, new Member(reader.dataOffset(), t.size(), null));
                    case SYMLINK -> {
                        String target = resolve(name, t.linkName());
                        if (target != null) {
                            members.put(name, new Member(0, 0, target));
                        }
                    }
                    case HARDLINK -> members.put(name, new Member(0, 0, stripDotSlash(t.linkName())));
                    default -> {
                        // directories and the rest name no image file
                    }
                }
            }
        }
        return new TarFiles(file, members);
    }

    @Override
    public boolean exists(String name) {
        return find(ImageFiles.normalize(name)) != null;
    }

    @Override
    public InputStream open(String name) throws IOException {
        Member m = find(ImageFiles.normalize(name));
        if (m == null) {
            throw new ImageException(file + " has no member " + name);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(m.offset());
        return new BufferedInputStream(new BoundedInputStream(Channels.newInputStream(channel), m.size(), n -> { },
                () -> new ImageException(file + ": member " + name + " is truncated"), true), 64 * 1024);
    }

    private Member find(String name) {
        Member m = members.get(name);
        for (int i = 0; m != null && m.link() != null; i++) {
            if (i == MAX_LINKS) {
                throw new ImageException(file + ": member " + name + " links in a loop");
            }
            m = members.get(m.link());
        }
        return m;
    }

    private static String stripDotSlash(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n;
    }

    /** A symlink's target as a member name; targets leaving the archive resolve to nothing. */
    private static String resolve(String name, String target) {
        if (target.startsWith("/")) {
            return null;
        }
        int slash = name.lastIndexOf('/');
        String joined = (slash < 0 ? "" : name.substring(0, slash + 1)) + target;
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String p : joined.split("/")) {
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else if (!p.isEmpty() && !p.equals(".")) {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    @Override
    public void close() {
    }
}

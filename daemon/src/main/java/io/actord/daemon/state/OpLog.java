package io.actord.daemon.state;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The changes of one {@link PostgresBatch} to one table, encoded in the order given: in memory, and past
 * {@link #SPILL_BYTES} in a temporary file that is unlinked when closed (a file of a process killed meanwhile
 * stays in the temporary directory, named {@code actord-batch-*}). Encoded, a change costs its key and value and
 * nine bytes; as an object it cost over a hundred on the heap.
 */
final class OpLog implements AutoCloseable {
    /** How many encoded bytes a table's changes may take on the heap before they move to a file. */
    static final int SPILL_BYTES = 8 << 20;
    private static final byte PUT = 0;
    private static final byte DELETE = 1;
    private static final byte DELETE_RANGE = 2;

    private final String table;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private DataOutputStream out = new DataOutputStream(memory);
    private FileChannel file;

    OpLog(String table) {
        this.table = table;
    }

    void append(PostgresBatch.Op op) {
        try {
            if (op instanceof PostgresBatch.Put put) {
                out.writeByte(PUT);
                writeBytes(put.key());
                writeBytes(put.value());
            } else if (op instanceof PostgresBatch.Delete delete) {
                out.writeByte(DELETE);
                writeBytes(delete.key());
            } else {
                PostgresBatch.DeleteRange range = (PostgresBatch.DeleteRange) op;
                out.writeByte(DELETE_RANGE);
                writeBytes(range.from());
                out.writeBoolean(range.to().isPresent());
                if (range.to().isPresent()) {
                    writeBytes(range.to().get());
                }
            }
            if (memory != null && memory.size() > SPILL_BYTES) {
                spill();
            }
        } catch (IOException e) {
            throw new StoreException("write batch: keep the changes to " + table + " in a temporary file", e);
        }
    }

    private void writeBytes(byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private void spill() throws IOException {
        Path path = Files.createTempFile("actord-batch-", ".tmp");
        file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        out.flush();
        out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(file), 1 << 16));
        memory.writeTo(out);
        memory = null;
    }

    /** Reads the changes from the first; one reader at a time, and no {@link #append} once reading started. */
    Reader read() {
        try {
            out.flush();
            InputStream in;
            if (file == null) {
                in = new ByteArrayInputStream(memory.toByteArray());
            } else {
                file.position(0);
                in = new BufferedInputStream(Channels.newInputStream(file), 1 << 16);
            }
            return new Reader(new DataInputStream(in));
        } catch (IOException e) {
            throw new StoreException("write batch: read the changes to " + table + " back", e);
        }
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                throw new StoreException("write batch: remove the temporary file of the changes to " + table, e);
            }
        }
    }

    final class Reader implements AutoCloseable {
        private final DataInputStream in;

        private Reader(DataInputStream in) {
            this.in = in;
        }

        /** The next change, or null after the last. */
        PostgresBatch.Op next() {
            try {
                int type = in.read();
                return switch (type) {
                    case -1 -> null;
                    case PUT -> new PostgresBatch.Put(table, readBytes(), readBytes());
                    case DELETE -> new PostgresBatch.Delete(table, readBytes());
                    case DELETE_RANGE -> {
                        byte[] from = readBytes();
                        yield new PostgresBatch.DeleteRange(table, from,
                                in.readBoolean() ? Optional.of(readBytes()) : Optional.empty());
                    }
                    default -> throw new StoreException("write batch: change " + type + " to " + table
                            + " is none this store wrote");
                };
            } catch (EOFException e) {
                throw new StoreException("write batch: the changes to " + table + " end in the middle of one", e);
            } catch (IOException e) {
                throw new StoreException("write batch: read the changes to " + table + " back", e);
            }
        }

        private byte[] readBytes() throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return bytes;
        }

        @Override
        public void close() {
            try {
                if (file != null) {
                    file.position(file.size());
                }
            } catch (IOException e) {
                throw new StoreException("write batch: read the changes to " + table + " back", e);
            }
        }
    }
}

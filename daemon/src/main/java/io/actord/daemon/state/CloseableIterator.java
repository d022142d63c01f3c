package io.actord.daemon.state;

import java.util.Iterator;

/** An iterator over a table that holds a RocksDB iterator: close it (try-with-resources). */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    @Override
    void close();
}

package io.actord.daemon.storage;

import java.util.List;

/** One page of a list and how many entries the whole list has. */
public record Listing<T>(long total, List<T> items) {
    public Listing {
        items = List.copyOf(items);
    }
}

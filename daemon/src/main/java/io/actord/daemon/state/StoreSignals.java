package io.actord.daemon.state;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Wake-ups between the processes that share a store: a batch may {@link Batch#signal signal} a channel with a small
 * payload (an id), and every process listening on that channel hears it once the batch has committed, never before.
 * They are hints, not data: a listener reads what changed from the store. Delivery is at most once; when some may
 * have been lost (the connection that hears them was down), each listener is told it {@link Listener#missed missed}
 * some and re-reads what it waits for. A store only this process opens (RocksDB) has nobody else to tell:
 * {@link #NONE}, whose batches signal nothing, and the process wakes its own waiters itself.
 */
public interface StoreSignals {
    /** Channel names: PostgreSQL identifiers that need no quoting. */
    Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** Signals of a store no other process shares: none are sent, so listening hears nothing. */
    StoreSignals NONE = (channel, listener) -> checkChannel(channel);

    /**
     * From now on, calls {@code listener} with each payload signalled on {@code channel} by any process on the store
     * (this one's own included), on a thread of the store's: keep the calls short and hand work elsewhere.
     */
    void listen(String channel, Listener listener);

    /** What hears a channel's signals. */
    interface Listener {
        /** A batch that signalled {@code payload} has committed. */
        void heard(String payload);

        /**
         * Signals may have been lost since the last call (the listening connection was down, or has just started
         * listening): re-read whatever is waited for.
         */
        void missed();
    }

    /** A listener of {@code heard} and {@code missed}. */
    static Listener listener(Consumer<String> heard, Runnable missed) {
        return new Listener() {
            @Override
            public void heard(String payload) {
                heard.accept(payload);
            }

            @Override
            public void missed() {
                missed.run();
            }
        };
    }

    static String checkChannel(String channel) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("signal channel '" + channel + "' must match " + CHANNEL.pattern());
        }
        return channel;
    }
}

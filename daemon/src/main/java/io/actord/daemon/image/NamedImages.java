package io.actord.daemon.image;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Base images by name: an import kept under a Docker-style reference ({@code apify/actor-node:20}; the tag
 * defaults to {@code latest}), whose layers it references like a build, so they stay in the store until the
 * name is deleted or given another image.
 */
public final class NamedImages {
    private static final Logger LOG = LoggerFactory.getLogger(NamedImages.class);
    /** Docker's reference grammar: lowercase path components, an optional registry port, an optional tag. */
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?"
            + "(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$");
    private static final String REF_PREFIX = "image:";

    private final StateStore store;
    private final Table<String, NamedImage> images;
    private final Table<LayerRefKey, Empty> refs;
    private final LayerStore layers;
    private final Clock clock;
    private final Object writes = new Object();

    public NamedImages(StateStore store, LayerStore layers, Clock clock) {
        this.store = store;
        this.images = store.table(ImageTables.IMAGES);
        this.refs = store.table(ImageTables.LAYER_REFS);
        this.layers = layers;
        this.clock = clock;
    }

    /** {@code name} with its tag ({@code latest} when it has none); 400 when it is no image name. */
    public static String normalize(String name) {
        if (name == null || name.length() > 255 || !NAME.matcher(name).matches()) {
            throw ApiException.invalidValue("image name '" + name + "' must be a Docker reference such as"
                    + " apify/actor-node:20 (lowercase names separated by '/', an optional :tag)");
        }
        int slash = name.lastIndexOf('/');
        return name.indexOf(':', slash + 1) >= 0 ? name : name + ":latest";
    }

    /** Keeps {@code imported} under {@code name}, replacing the image that had it; closes the import. */
    public NamedImage put(String name, ImportedImage imported) {
        String key = normalize(name);
        NamedImage image = new NamedImage(NamedImage.SCHEMA, key, imported.source(),
                imported.layers().stream().map(Digest::toString).toList(), imported.config(), imported.bytes(),
                clock.instant());
        Optional<NamedImage> old;
        try (imported) {
            synchronized (writes) {
                old = images.get(key);
                store.write(b -> {
                    old.ifPresent(o -> o.layers().forEach(d -> refs.deleteInBatch(b, ref(d, key))));
                    image.layers().forEach(d -> refs.putInBatch(b, ref(d, key), Empty.INSTANCE));
                    images.putInBatch(b, key, image);
                });
            }
        }
        old.ifPresent(o -> layers.collect(o.layers().stream().map(Digest::parse).toList()));
        LOG.info("image named name={} source=\"{}\" layers={}", key, image.source(), image.layers().size());
        return image;
    }

    public Optional<NamedImage> find(String name) {
        return images.get(normalize(name));
    }

    public List<NamedImage> list() {
        List<NamedImage> all = new ArrayList<>();
        try (CloseableIterator<Entry<String, NamedImage>> it = images.scan(Scan.all())) {
            it.forEachRemaining(e -> all.add(e.value()));
        }
        return all;
    }

    /** Forgets the name; its layers go unless a build or another name uses them. */
    public void delete(String name) {
        String key = normalize(name);
        NamedImage image;
        synchronized (writes) {
            image = images.get(key).orElseThrow(() -> ApiException.notFound("Image", key));
            store.write(b -> {
                image.layers().forEach(d -> refs.deleteInBatch(b, ref(d, key)));
                images.deleteInBatch(b, key);
            });
        }
        layers.collect(image.layers().stream().map(Digest::parse).toList());
        LOG.info("image name deleted name={}", key);
    }

    private static LayerRefKey ref(String diffId, String name) {
        return new LayerRefKey(diffId, REF_PREFIX + name);
    }
}

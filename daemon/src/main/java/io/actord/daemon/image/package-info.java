/**
 * Images: a content-addressed store of unpacked layers ({@link io.actord.daemon.image.LayerStore}) that
 * every build's rootfs is made of, and the importers that fill it from an OCI image layout, a
 * docker-archive or a plain rootfs ({@link io.actord.daemon.image.ImageImporter}). All archives go through
 * one tar reader and one extractor ({@link io.actord.daemon.image.LayerExtractor}) written for hostile
 * input: no GNU tar, no path outside the layer, no device nodes, bounded size, verified digests.
 */
package io.actord.daemon.image;

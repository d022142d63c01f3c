package io.actord.daemon.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.ReferenceCountUtil;

import java.util.Locale;

/**
 * The facts the forwarder needs from a DNS message in wire form, after Netty's record decoder has walked all
 * of it (names with their compression pointers, every record's length): a message that parses here is
 * forwarded byte for byte, with only its 2-byte id changed. Forwarding the original bytes rather than
 * re-encoding decoded objects keeps what Netty does not model (EDNS options, compressed names inside MX,
 * SOA or SRV data) exactly as the sender wrote it.
 *
 * @param questionEnd the offset just past the question, so an error answer can echo it
 */
record RawDnsMessage(int id, int flags, String name, int type, int dnsClass, int questionEnd) {
    static final int HEADER = 12;
    private static final int QR = 0x8000;
    private static final int TC = 0x0200;
    private static final int RD = 0x0100;
    private static final int RA = 0x0080;

    /**
     * Parses a whole message (its readable bytes): exactly one question (RFC 9619; every resolver sends one),
     * then every record the counts announce, and nothing after them. A truncated response (TC) needs only
     * its question: its record counts need not match what was cut.
     */
    static RawDnsMessage parse(ByteBuf message) throws MalformedDnsException {
        // Compression pointers are offsets from the start of the message: index 0 must be that start.
        ByteBuf in = message.slice();
        if (in.readableBytes() < HEADER) {
            throw new MalformedDnsException(in.readableBytes() + " bytes, shorter than a DNS header");
        }
        int id = in.readUnsignedShort();
        int flags = in.readUnsignedShort();
        int questions = in.readUnsignedShort();
        int records = in.readUnsignedShort() + in.readUnsignedShort() + in.readUnsignedShort();
        if (questions != 1) {
            throw new MalformedDnsException(questions + " questions, not 1");
        }
        try {
            DnsQuestion question = DnsRecordDecoder.DEFAULT.decodeQuestion(in);
            int questionEnd = in.readerIndex();
            if ((flags & (QR | TC)) != (QR | TC)) {
                for (int i = 0; i < records; i++) {
                    DnsRecord record = DnsRecordDecoder.DEFAULT.decodeRecord(in);
                    if (record == null) {
                        throw new MalformedDnsException("record " + (i + 1) + " of " + records + " is cut short");
                    }
                    ReferenceCountUtil.release(record);
                }
                if (in.isReadable()) {
                    throw new MalformedDnsException(in.readableBytes() + " bytes after the last record");
                }
            }
            return new RawDnsMessage(id, flags, question.name().toLowerCase(Locale.ROOT),
                    question.type().intValue(), question.dnsClass(), questionEnd);
        } catch (MalformedDnsException e) {
            throw e;
        } catch (Exception e) {
            // Netty's CorruptedFrameException/TooLongFrameException, or an IndexOutOfBoundsException for a
            // message that ends inside a name or a question.
            throw new MalformedDnsException("cannot decode: " + e);
        }
    }

    boolean isResponse() {
        return (flags & QR) != 0;
    }

    int opcode() {
        return (flags >> 11) & 0xf;
    }

    int rcode() {
        return flags & 0xf;
    }

    /** Whether {@code response} answers this query's question (names compare case-insensitively). */
    boolean isAnsweredBy(RawDnsMessage response) {
        return response.isResponse() && response.name.equals(name) && response.type == type
                && response.dnsClass == dnsClass;
    }

    /** A copy of {@code message} with the id {@code id}. */
    static ByteBuf withId(ByteBuf message, int id) {
        ByteBuf copy = message.copy();
        copy.setShort(0, id);
        return copy;
    }

    /** An answer with {@code code} and no records, echoing this query's id, opcode, RD bit and question. */
    ByteBuf error(ByteBufAllocator alloc, ByteBuf query, DnsResponseCode code) {
        ByteBuf out = alloc.buffer(questionEnd);
        out.writeShort(id);
        out.writeShort(QR | (opcode() << 11) | (flags & RD) | RA | code.intValue());
        out.writeShort(1).writeShort(0).writeShort(0).writeShort(0);
        out.writeBytes(query, query.readerIndex() + HEADER, questionEnd - HEADER);
        return out;
    }

    /**
     * FORMERR for a message whose header is readable and says "query" (RFC 1035 §4.1.1), with no question;
     * {@code null} when it is too short or a response, which are dropped.
     */
    static ByteBuf formatError(ByteBufAllocator alloc, ByteBuf message) {
        if (message.readableBytes() < HEADER) {
            return null;
        }
        int flags = message.getUnsignedShort(message.readerIndex() + 2);
        if ((flags & QR) != 0) {
            return null;
        }
        ByteBuf out = alloc.buffer(HEADER);
        out.writeShort(message.getUnsignedShort(message.readerIndex()));
        out.writeShort(QR | (flags & 0x7800) | (flags & RD) | RA | DnsResponseCode.FORMERR.intValue());
        out.writeZero(8);
        return out;
    }
}

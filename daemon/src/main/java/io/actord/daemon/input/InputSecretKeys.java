package io.actord.daemon.input;

import io.actord.daemon.common.StateDirectory;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The daemon's key pair for secret input: RSA 2048, made once in a directory of the state directory. The private
 * key is kept as the {@code apify} SDK reads it: PKCS#8 PEM encrypted under a passphrase (PBES2: PBKDF2 with
 * HMAC-SHA256, AES-256-CBC), in a 0600 file beside its 0600 passphrase file; runs get both through
 * {@code APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE} (despite its name the SDK takes the key itself there, base64 of the
 * PEM) and {@code APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE}. The daemon itself only ever encrypts. Thread-safe.
 */
public final class InputSecretKeys {
    static final String PRIVATE_KEY = "private-key.pem";
    static final String PASSPHRASE = "passphrase";
    static final String PUBLIC_KEY = "public-key.pem";
    private static final String PBE = "PBEWithHmacSHA256AndAES_256";
    /**
     * OpenSSL's default for PKCS#8. The passphrase is 256 random bits, so more rounds would only slow every
     * {@code Actor.getInput()} (the SDK decrypts the key each time) without making it harder to guess.
     */
    private static final int PBKDF2_ROUNDS = 2048;

    private final Path dir;
    /** Read (or made) at first use: most daemons never see a secret field, and RSA key generation is slow. */
    private volatile Loaded loaded;

    private record Loaded(PublicKey publicKey, String privateKeyPem, String passphrase) {
    }

    private InputSecretKeys(Path dir) {
        this.dir = dir;
    }

    /**
     * The key pair in {@code dir}, made there at first use when there is none (a crash while making it leaves
     * none).
     */
    public static InputSecretKeys open(Path dir) {
        return new InputSecretKeys(dir);
    }

    /** The key pair's files in {@code dir}, relative to it: what a cluster's hosts share of it. */
    public static List<Path> files() {
        return List.of(Path.of(PRIVATE_KEY), Path.of(PASSPHRASE), Path.of(PUBLIC_KEY));
    }

    /** Reads the key pair now, making it if there is none. */
    public void make() {
        loaded();
    }

    private Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) {
                    l = load(dir);
                    loaded = l;
                }
            }
        }
        return l;
    }

    private static Loaded load(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                create(dir);
            }
            String pem = Files.readString(dir.resolve(PRIVATE_KEY), StandardCharsets.US_ASCII);
            String passphrase = Files.readString(dir.resolve(PASSPHRASE), StandardCharsets.US_ASCII).trim();
            byte[] spki = fromPem(Files.readString(dir.resolve(PUBLIC_KEY), StandardCharsets.US_ASCII));
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
            return new Loaded(key, pem, passphrase);
        } catch (IOException e) {
            throw new UncheckedIOException("open the input secrets key pair in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("read the input secrets key pair in " + dir, e);
        }
    }

    /** Makes the three files in a private directory beside {@code dir}, then moves it into place at once. */
    private static void create(Path dir) throws IOException, GeneralSecurityException {
        StateDirectory.createPrivate(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        writePrivate(tmp.resolve(PASSPHRASE), passphrase);
        writePrivate(tmp.resolve(PRIVATE_KEY), pem("ENCRYPTED PRIVATE KEY", encrypt(pair, passphrase, random)));
        Files.writeString(tmp.resolve(PUBLIC_KEY), pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            for (String f : new String[]{PASSPHRASE, PRIVATE_KEY, PUBLIC_KEY}) {
                Files.deleteIfExists(tmp.resolve(f));
            }
            Files.deleteIfExists(tmp);
        }
    }

    /** The private key as PKCS#8 EncryptedPrivateKeyInfo (PBES2), which OpenSSL and so Node.js read. */
    private static byte[] encrypt(KeyPair pair, String passphrase, SecureRandom random)
            throws GeneralSecurityException, IOException {
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        SecretKey key = SecretKeyFactory.getInstance(PBE).generateSecret(new PBEKeySpec(passphrase.toCharArray()));
        Cipher cipher = Cipher.getInstance(PBE);
        cipher.init(Cipher.ENCRYPT_MODE, key, new PBEParameterSpec(salt, PBKDF2_ROUNDS, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(pair.getPrivate().getEncoded());
        // Named "PBES2" the parameters map to the PBES2 object identifier; under the cipher's own name JDK 17's
        // EncryptedPrivateKeyInfo finds none.
        AlgorithmParameters pbes2 = AlgorithmParameters.getInstance("PBES2");
        pbes2.init(cipher.getParameters().getEncoded());
        return new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded();
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] fromPem(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    public PublicKey publicKey() {
        return loaded().publicKey();
    }

    /** The variables that let the SDK inside a run decrypt its secret input. */
    public Map<String, String> environment() {
        Loaded l = loaded();
        return Map.of("APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE",
                Base64.getEncoder().encodeToString(l.privateKeyPem().getBytes(StandardCharsets.US_ASCII)),
                "APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE", l.passphrase());
    }
}

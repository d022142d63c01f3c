import java.util.HashMap;
import java.util.Map;

/**
 * About 10 s of CPU-bound Java on the build host (one CPU): first pure arithmetic (what the JIT turns
 * into straight machine code), then the mix a test JVM does (hashing, maps, strings, garbage).
 */
public class Spin {
    public static void main(String[] args) {
        long pureRounds = Long.parseLong(args[0]);
        long mixRounds = Long.parseLong(args[1]);

        long start = System.nanoTime();
        long x = 1;
        for (long i = 0; i < pureRounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29;
        }
        double pure = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        Map<String, Long> map = new HashMap<>();
        for (long i = 0; i < mixRounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            map.merge(Long.toHexString(x >>> 40), 1L, Long::sum);
            if (map.size() > 100_000) {
                map.clear();
            }
        }
        double mix = (System.nanoTime() - start) / 1e9;
        System.out.printf("spin: arithmetic %.1f s, allocating %.1f s (%d)%n", pure, mix, (x & 0xff) + map.size());
    }
}

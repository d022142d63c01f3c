import java.util.HashMap;
import java.util.Map;

/** A CPU-bound loop with allocation, the mix a test JVM does: hashing, maps, strings, GC. */
public class Spin {
    public static void main(String[] args) {
        long rounds = Long.parseLong(args[0]);
        long start = System.nanoTime();
        long x = 1;
        Map<String, Long> map = new HashMap<>();
        for (long i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            String key = Long.toHexString(x >>> 40);
            map.merge(key, 1L, Long::sum);
            if (map.size() > 100_000) map.clear();
        }
        System.out.printf("spin: %d rounds in %.2f s (%d keys)%n", rounds, (System.nanoTime() - start) / 1e9, map.size());
    }
}

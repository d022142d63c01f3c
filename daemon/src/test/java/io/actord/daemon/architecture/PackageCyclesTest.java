package io.actord.daemon.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon's packages (the slices {@code io.actord.daemon.(*)..}, and the root package, the composition root, as
 * {@value #COMPOSITION_ROOT}) depend on each other without cycles (#19 removed the last ones), and none depends on
 * the composition root. A dependency that closes a cycle fails; KNOWN_CYCLE_EDGES stays empty. Run it alone with {@code mvn -pl daemon verify -Dtest=PackageCyclesTest -DskipITs}.
 */
class PackageCyclesTest {
    private static final String ROOT = "io.actord.daemon.";
    private static final String COMPOSITION_ROOT = "(root)";

    /**
     * Package dependencies that lie on a cycle: none. The last, actor <-> run, went when the run options an
     * actor's defaults share with a run (RunSize, RunNetwork) moved to runoptions, below both.
     */
    private static final Set<String> KNOWN_CYCLE_EDGES = Set.of();

    @Test
    void shouldHaveNoPackageCycleButTheKnownOnes() {
        Map<String, Set<String>> graph = packageGraph();
        Set<String> onCycles = edgesOnCycles(graph);

        assertEquals(new TreeSet<>(KNOWN_CYCLE_EDGES), new TreeSet<>(onCycles),
                "package dependencies on a cycle; a new one must be removed, one no longer listed here "
                        + "must leave KNOWN_CYCLE_EDGES (#19)");
    }

    @Test
    void shouldLetNoPackageDependOnTheCompositionRoot() {
        Map<String, Set<String>> graph = packageGraph();
        Set<String> users = new TreeSet<>();
        graph.forEach((from, to) -> {
            if (to.contains(COMPOSITION_ROOT)) {
                users.add(from);
            }
        });

        assertEquals(Set.of(), users, "packages that use io.actord.daemon (the composition root): what they use"
                + " belongs in common or in a package of its own");
        assertTrue(graph.containsKey(COMPOSITION_ROOT), "the root is in the graph: " + graph.keySet());
    }

    /** slice → the slices its main classes use. */
    static Map<String, Set<String>> packageGraph() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.actord.daemon");
        Map<String, Set<String>> graph = new TreeMap<>();
        for (JavaClass c : classes) {
            Optional<String> from = slice(c);
            if (from.isEmpty()) {
                continue;
            }
            Set<String> targets = graph.computeIfAbsent(from.get(), k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                slice(d.getTargetClass()).filter(to -> !to.equals(from.get())).ifPresent(targets::add);
            }
        }
        return graph;
    }

    private static Optional<String> slice(JavaClass c) {
        String pkg = c.getPackageName();
        if (pkg.equals(ROOT.substring(0, ROOT.length() - 1))) {
            return Optional.of(COMPOSITION_ROOT);
        }
        if (!pkg.startsWith(ROOT)) {
            return Optional.empty();
        }
        String rest = pkg.substring(ROOT.length());
        int dot = rest.indexOf('.');
        return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
    }

    /** The edges inside a strongly connected component (Tarjan): exactly those that lie on some cycle. */
    static Set<String> edgesOnCycles(Map<String, Set<String>> graph) {
        Map<String, Integer> component = new Tarjan(graph).run();
        Set<String> edges = new TreeSet<>();
        graph.forEach((from, tos) -> tos.forEach(to -> {
            if (component.get(from).equals(component.get(to))) {
                edges.add(from + " -> " + to);
            }
        }));
        return edges;
    }

    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Map<String, Integer> component = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private int next;

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        Map<String, Integer> run() {
            Set<String> nodes = new TreeSet<>(graph.keySet());
            graph.values().forEach(nodes::addAll);
            nodes.forEach(n -> {
                if (!index.containsKey(n)) {
                    visit(n);
                }
            });
            return component;
        }

        private void visit(String n) {
            index.put(n, next);
            low.put(n, next);
            next++;
            stack.push(n);
            onStack.add(n);
            for (String m : graph.getOrDefault(n, Set.of())) {
                if (!index.containsKey(m)) {
                    visit(m);
                    low.put(n, Math.min(low.get(n), low.get(m)));
                } else if (onStack.contains(m)) {
                    low.put(n, Math.min(low.get(n), index.get(m)));
                }
            }
            if (low.get(n).equals(index.get(n))) {
                String m;
                do {
                    m = stack.pop();
                    onStack.remove(m);
                    component.put(m, index.get(n));
                } while (!m.equals(n));
            }
        }
    }
}

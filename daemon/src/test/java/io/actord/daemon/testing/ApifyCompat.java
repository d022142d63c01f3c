package io.actord.daemon.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class: an Apify compatibility contract, where the published apify-client, apify SDK or crawlee
 * drive actord. It tags the class {@value #TAG}, a group that runs in the normal suites and alone with
 * {@code mvn verify -Papify} (unit tests and ITs; the pom's profile) or {@code mvn test -Dgroups=apify} (unit
 * tests). A class that needs root still carries {@code @Tag("privileged")} too.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(ApifyCompat.TAG)
public @interface ApifyCompat {
    /** The JUnit tag. */
    String TAG = "apify";
}

package io.strata.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test queries a DNS server with {@code dig} (Debian's dnsutils): skipped where it is not on
 * the PATH, failed where the run demands privileged tests ({@code .ci/run} installs dnsutils).
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RequirementCondition.class)
public @interface RequiresDig {}

package io.strata.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test builds its container image from a static busybox ({@link Environment#busybox()}):
 * skipped where there is none, failed where the run demands privileged tests ({@code .ci/run}
 * provides one without installing it).
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RequirementCondition.class)
public @interface RequiresBusybox {}

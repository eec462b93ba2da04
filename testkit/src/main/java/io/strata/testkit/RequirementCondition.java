package io.strata.testkit;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Skips a test whose environment is missing, or fails it when the run demands that environment
 * ({@link Environment#REQUIRE_PRIVILEGED}, {@link Environment#REQUIRE_WINDOWS}).
 */
final class RequirementCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<AnnotatedElement> element = context.getElement();
    if (element.isEmpty()) {
      return ConditionEvaluationResult.enabled("no element");
    }
    List<String> missing = new ArrayList<>();
    boolean windowsOnly = false;
    if (present(element.get(), RequiresRoot.class)) {
      Environment.missingRoot().ifPresent(missing::add);
    }
    if (present(element.get(), RequiresCgroupV1.class)) {
      Environment.missingCgroupV1().ifPresent(missing::add);
    }
    if (present(element.get(), RequiresCgroupV2.class)) {
      Environment.missingCgroupV2().ifPresent(missing::add);
    }
    if (present(element.get(), RequiresDocker.class)) {
      Environment.missingDocker().ifPresent(missing::add);
    }
    if (present(element.get(), RequiresBusybox.class)) {
      Environment.missingBusybox().ifPresent(missing::add);
    }
    if (present(element.get(), RequiresDig.class)) {
      Environment.missingDig().ifPresent(missing::add);
    }
    if (present(element.get(), RequiresWindows.class)) {
      windowsOnly = true;
      Environment.missingWindows().ifPresent(missing::add);
    }
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("environment present");
    }
    String reason = String.join("; ", missing);
    String demandedBy = windowsOnly ? Environment.REQUIRE_WINDOWS : Environment.REQUIRE_PRIVILEGED;
    if (Environment.flag(demandedBy)) {
      throw new ExtensionConfigurationException(
          demandedBy + " is set, so this test must run here, but: " + reason);
    }
    return ConditionEvaluationResult.disabled("skipped: " + reason);
  }

  private static boolean present(AnnotatedElement element, Class<? extends Annotation> type) {
    return AnnotationSupport.isAnnotated(element, type);
  }
}

package io.strata.api;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

@AnalyzeClasses(packages = "io.strata.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest static final ArchRule selfContained = StrataArchitecture.API_IS_SELF_CONTAINED;

  /** The codec (json) sits below the value types that use its checks. */
  @ArchTest
  static final ArchRule noPackageCycles = StrataArchitecture.noPackageCycles("io.strata.api");
}

package io.strata.workloads;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.strata.testkit.StrataArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.strata.workloads");

  @Test
  void workloadsDependOnlyOnApi() {
    StrataArchitecture.WORKLOADS_DEPEND_ONLY_ON_API.check(CLASSES);
  }

  @Test
  void pureCoresDoNoIo() {
    StrataArchitecture.PURE_CORES_DO_NO_IO.check(CLASSES);
  }

  @Test
  void noPackageCycles() {
    StrataArchitecture.noPackageCycles("io.strata.workloads").check(CLASSES);
  }

  @Test
  void pureCoresInjectTimeAndRandomness() {
    StrataArchitecture.PURE_CORES_INJECT_TIME_AND_RANDOMNESS.check(CLASSES);
  }
}

package io.strata.allocator.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Layers inside the allocator: core ← server → state; state knows neither HTTP nor the core. */
@AnalyzeClasses(
    packages = "io.strata.allocator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ServerArchitectureTest {
  @ArchTest
  static final ArchRule stateIsBelowTheServer =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.state..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.strata.allocator.server..",
              "io.strata.allocator.core..",
              "io.javalin..",
              "org.eclipse.jetty..")
          .because("the state store is an SPI the server uses; it must not know HTTP or the core");

  @ArchTest
  static final ArchRule coreKnowsNeitherServerNorState =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.strata.allocator.server..", "io.strata.allocator.state..")
          .because("the core is a pure function of what the server tells it");

  @ArchTest
  static final ArchRule dnsReadsTheMasterOnlyThroughViews =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.server.dns..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.strata.allocator.server.master..",
              "io.strata.allocator.server.http..",
              "io.strata.allocator.server.auth..",
              "io.strata.allocator.state..",
              "io.strata.allocator.core..",
              "io.javalin..",
              "org.eclipse.jetty..")
          .because(
              "the DNS zone is a pure function of the operator views (api records) the server"
                  + " hands it; it neither reaches into the master nor serves HTTP");

  @ArchTest
  static final ArchRule theZoneIsPure =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.server.dns..")
          .and()
          .haveSimpleNameNotStartingWith("DnsServer")
          .and()
          .haveSimpleNameNotStartingWith("Forwarding")
          .and()
          .haveSimpleNameNotStartingWith("AgentAddresses")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.io..", "java.nio..", "java.net.http..")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethod(java.time.Instant.class, "now")
          .orShould()
          .callMethod(java.net.InetAddress.class, "getAllByName", String.class)
          .orShould()
          .callMethod(java.net.InetAddress.class, "getByName", String.class)
          .because(
              "records, answers and endpoints are computed from data only: sockets and name"
                  + " lookups live in DnsServer, Forwarding and AgentAddresses");
}

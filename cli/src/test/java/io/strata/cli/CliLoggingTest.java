package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.junit.jupiter.api.Test;

/**
 * The client commands' logging: the cloud SDKs' own error logs are off (the provisioner reports
 * their failures in one line of its own), so nothing splits a progress bar; Strata's warnings stay.
 */
class CliLoggingTest {
  @Test
  void cloudSdkLogsAreOffAndStrataWarningsAreOn() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/strata-cli-logback.xml"));
    for (String sdk :
        new String[] {
          "com.azure.core.http.policy.RetryPolicy",
          "com.azure.identity.ClientSecretCredential",
          "com.microsoft.aad.msal4j.ConfidentialClientApplication",
          "org.openstack4j.connectors.okhttp.HttpExecutorServiceImpl",
          "reactor.core.publisher.Operators"
        }) {
      assertThat(context.getLogger(sdk).isEnabledFor(Level.ERROR)).as(sdk).isFalse();
    }
    assertThat(context.getLogger("io.strata.cli.Main").isEnabledFor(Level.WARN)).isTrue();
  }
}

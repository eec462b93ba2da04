package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.allocator.server.http.AgentAccessApi;
import io.strata.api.AgentInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.agent.AccessToken;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.client.AgentClient;
import io.strata.api.client.ApiException;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.AgentAccessGrant;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access tokens for the agents' endpoints: issued to operators, checkable with the agent's key. */
class AgentAccessApiTest {
  @TempDir Path dir;
  TestAllocator allocator;

  @BeforeEach
  void start() {
    allocator = new TestAllocator(dir, "").start();
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  PublicKey registeredKey() {
    AgentRegistered answer =
        new AgentClient(allocator.uri(), TestAllocator.JOIN)
            .register(
                new RegisterAgent(
                    null,
                    new AgentInfo(
                        "node-1",
                        Os.LINUX,
                        "amd64",
                        ResourcePool.unreserved(Resources.parse("cpus:1;mem:64")),
                        Map.of(),
                        Set.of(),
                        null,
                        "test"),
                    List.of()));
    assertThat(answer.accessKey()).isNotBlank();
    return AccessToken.decodeKey(answer.accessKey());
  }

  @Test
  void operatorsGetTokensTheAgentsKeyVerifies() {
    PublicKey key = registeredKey();
    AgentAccessGrant grant = allocator.operator().agentAccess();
    assertThat(grant.scope()).isEqualTo("operator");
    assertThat(grant.expiresAt())
        .isEqualTo(allocator.clock.instant().plus(AgentAccessApi.LIFETIME));
    assertThat(AccessToken.verify(grant.token(), key, allocator.clock.instant()))
        .isInstanceOfSatisfying(
            AccessToken.Valid.class, v -> assertThat(v.claims().principal()).isEqualTo("admin"));
    assertThat(AccessToken.verify(grant.token(), key, grant.expiresAt()))
        .isInstanceOf(AccessToken.Invalid.class);
  }

  @Test
  void otherPrincipalsAndStrangersGetNone() {
    assertThatThrownBy(() -> new OperatorClient(allocator.uri(), TestAllocator.WEB).agentAccess())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    assertThatThrownBy(() -> new OperatorClient(allocator.uri(), "nobody-knows-me").agentAccess())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> new OperatorClient(allocator.uri(), TestAllocator.JOIN).agentAccess())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void theSigningKeySurvivesARestart() {
    PublicKey before = registeredKey();
    allocator.restart();
    assertThat(registeredKey()).isEqualTo(before);
    String token = allocator.operator().agentAccess().token();
    assertThat(AccessToken.verify(token, before, allocator.clock.instant()))
        .isInstanceOf(AccessToken.Valid.class);
  }
}

package io.strata.provisioner.providers.openstack;

import io.strata.provisioner.cloud.CloudException;
import io.strata.provisioner.cloud.CloudGate;
import java.util.function.Function;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;

/**
 * openstack4j calls through the {@link CloudGate}. openstack4j keeps its session in a thread-local
 * and does not retry, so every call binds a session from the shared token on the calling thread
 * ({@code OSFactory.clientFromToken}) and failures become {@link CloudException}s the gate retries.
 * openstack4j does not expose response headers on errors, so a 429's Retry-After is not seen here:
 * the gate then holds writes back for its default pause and backs off.
 */
final class OpenStackCalls {
  private final CloudGate gate;
  private final Token token;
  private final String region;

  OpenStackCalls(CloudGate gate, Token token, String region) {
    this.gate = gate;
    this.token = token;
    this.region = region;
  }

  <T> T write(String what, Function<OSClientV3, T> call) {
    return gate.write(what, () -> run(what, call));
  }

  <T> T read(String what, Function<OSClientV3, T> call) {
    return gate.read(what, () -> run(what, call));
  }

  /** A delete answered with an ActionResponse: gone already (404) counts as done. */
  void delete(String what, Function<OSClientV3, ActionResponse> call) {
    gate.write(
        what,
        () -> {
          ActionResponse r = run(what, call);
          if (r != null && !r.isSuccess() && r.getCode() != 404) {
            throw new CloudException(r.getCode(), what + ": " + r.getFault());
          }
          return null;
        });
  }

  private <T> T run(String what, Function<OSClientV3, T> call) {
    OSClientV3 os = OSFactory.clientFromToken(token);
    os.useRegion(region);
    try {
      return call.apply(os);
    } catch (ConnectionException e) {
      throw new CloudException(0, null, what + ": " + e.getMessage(), e);
    } catch (ResponseException e) {
      throw new CloudException(
          e.getStatus(), null, what + ": HTTP " + e.getStatus() + " " + e.getMessage(), e);
    }
  }
}

package io.strata.provisioner.spec;

import io.strata.api.json.Checks;
import java.util.regex.Pattern;

/**
 * Azure references. Nothing secret is written here: the client secret is a {@link SecretRef}.
 *
 * @param subscriptionId the subscription that pays
 * @param tenantId Entra ID tenant of the service principal
 * @param clientId the service principal's application id
 * @param clientSecret where its secret lives
 * @param resourceGroup the group to create (default {@code strata-<cluster>})
 */
public record AzureSpec(
    String subscriptionId,
    String tenantId,
    String clientId,
    SecretRef clientSecret,
    String resourceGroup) {
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public AzureSpec {
    new Checks()
        .notBlank("subscriptionId", subscriptionId)
        .matches("subscriptionId", subscriptionId, GUID, "must be a GUID")
        .notBlank("tenantId", tenantId)
        .notBlank("clientId", clientId)
        .notNull("clientSecret", clientSecret)
        .done();
  }
}

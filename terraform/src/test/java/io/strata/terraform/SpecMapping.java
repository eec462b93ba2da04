package io.strata.terraform;

import io.strata.provisioner.core.ClusterSecrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's table "Mapping to the provisioner's cluster spec", as code: a module's input
 * variables turned into the cluster spec that means the same thing. Credentials, which Terraform
 * passes to the provider block, become secret references here (the spec never holds secrets).
 */
final class SpecMapping {
  private SpecMapping() {}

  static Map<String, Object> spec(String cloud, Map<String, Object> in) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", in.get("cluster_name"));
    spec.put("cloud", cloud);
    spec.put("location", in.get("location"));
    spec.put("strataVersion", in.get("strata_version"));
    spec.put("artifactUrl", in.get("artifact_url"));
    spec.put("artifactSha256", in.get("artifact_sha256"));
    Map<String, Object> allocator = new LinkedHashMap<>();
    allocator.put("count", in.get("allocator_count"));
    allocator.put("size", in.get("allocator_size"));
    allocator.put("image", in.get("allocator_image"));
    allocator.put("diskGb", in.get("allocator_disk_gb"));
    allocator.put("port", in.get("allocator_port"));
    spec.put("allocator", allocator);
    List<Map<String, Object>> pools = new ArrayList<>();
    for (Object o : (List<?>) in.get("pools")) {
      Map<?, ?> p = (Map<?, ?>) o;
      Map<String, Object> pool = new LinkedHashMap<>();
      pool.put("name", p.get("name"));
      pool.put("os", p.get("os"));
      pool.put("count", p.get("count"));
      pool.put("size", p.get("size"));
      pool.put("image", p.get("image"));
      pool.put("diskGb", p.get("disk_gb"));
      pool.put("attributes", p.get("attributes"));
      pool.put("spot", p.get("spot"));
      pools.add(pool);
    }
    spec.put("pools", pools);
    spec.put(
        "network",
        Map.of("addressSpace", in.get("address_space"), "adminCidrs", in.get("admin_cidrs")));
    Map<String, Object> access = new LinkedHashMap<>();
    if (in.containsKey("admin_user")) {
      access.put("adminUser", in.get("admin_user"));
    }
    access.put("sshPublicKey", Map.of("env", "STRATA_SSH_PUBLIC_KEY"));
    access.put("windowsAdminPassword", Map.of("env", "STRATA_WINDOWS_ADMIN_PASSWORD"));
    spec.put("access", access);
    if (cloud.equals("azure")) {
      Map<String, Object> azure = new LinkedHashMap<>();
      azure.put("subscriptionId", "00000000-0000-0000-0000-000000000000");
      azure.put("tenantId", "00000000-0000-0000-0000-000000000001");
      azure.put("clientId", "00000000-0000-0000-0000-000000000002");
      azure.put("clientSecret", Map.of("env", "AZURE_CLIENT_SECRET"));
      azure.put("resourceGroup", in.get("resource_group_name"));
      spec.put("azure", azure);
    } else {
      Map<String, Object> openstack = new LinkedHashMap<>();
      openstack.put("authUrl", "https://keystone.invalid:5000/v3");
      openstack.put("userName", "strata");
      openstack.put("projectName", "strata");
      openstack.put("password", Map.of("env", "OS_PASSWORD"));
      openstack.put("externalNetwork", in.get("external_network"));
      spec.put("openstack", openstack);
    }
    return spec;
  }

  /** What the provisioner creates at apply time, given as module variables in Terraform. */
  static ClusterSecrets secrets(Map<String, Object> in) {
    return new ClusterSecrets(
        (String) in.get("cluster_ca_pem"),
        (String) in.get("cluster_ca_key_pem"),
        (String) in.get("join_token"),
        (String) in.get("join_token_expires_at"),
        (String) in.get("operator_token"));
  }
}

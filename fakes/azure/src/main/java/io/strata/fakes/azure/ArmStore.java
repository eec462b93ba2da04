package io.strata.fakes.azure;

import static io.strata.fakes.azure.FakeArm.JSON;
import static io.strata.fakes.azure.FakeArm.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** The fake ARM's resources and operations. Time is System.nanoTime(), passed in. */
final class ArmStore {
  record Answer(int status, JsonNode body, Map<String, String> headers) {}

  private record Operation(String resourceId, boolean delete) {}

  private final Map<String, ArmResource> resources = new ConcurrentHashMap<>();
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  final Map<String, Integer> sizes = new ConcurrentHashMap<>();
  final Set<String> images = ConcurrentHashMap.newKeySet();
  final Set<String> failBoot = ConcurrentHashMap.newKeySet();
  volatile long vmLatencyNanos;
  volatile long latencyNanos;
  volatile int coresLimit = 100_000;
  private int nextPrivate = 4;
  private int nextPublic = 10;

  synchronized Answer put(String path, ObjectNode body, String base, long now) {
    sweep(now);
    String id = canonical(path);
    String key = id.toLowerCase();
    ArmResource existing = resources.get(key);
    boolean isGroup = key.matches("/subscriptions/[^/]+/resourcegroups/[^/]+");
    if (!isGroup && !resources.containsKey(groupOf(key))) {
      return new Answer(404, error("ResourceGroupNotFound", "no group for " + id), Map.of());
    }
    String type = isGroup ? "Microsoft.Resources/resourceGroups" : typeOf(id);
    body.put("id", id).put("name", id.substring(id.lastIndexOf('/') + 1)).put("type", type);
    ObjectNode props =
        body.has("properties") ? (ObjectNode) body.get("properties") : body.putObject("properties");
    String name = body.get("name").asText().toLowerCase();
    if (type.equalsIgnoreCase("Microsoft.Compute/virtualMachines")) {
      JsonNode os = props.path("osProfile");
      if (os.has("customData")) {
        secrets.put(
            "customData:" + name,
            new String(
                Base64.getDecoder().decode(os.get("customData").asText()), StandardCharsets.UTF_8));
        ((ObjectNode) os).remove("customData");
      }
      int cores = sizes.getOrDefault(props.path("hardwareProfile").path("vmSize").asText(), 0);
      if (existing == null && usedCores(now) + cores > coresLimit) {
        return new Answer(
            409,
            error("OperationNotAllowed", "cores quota exceeded (limit " + coresLimit + ")"),
            Map.of());
      }
      props.put(
          "vmId", java.util.UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString());
    } else if (type.equalsIgnoreCase("Microsoft.Compute/virtualMachines/extensions")) {
      if (body.has("properties") && props.has("protectedSettings")) {
        secrets.put(
            "protected:" + key.replaceAll(".*/virtualmachines/", "").replace("/extensions/", "/"),
            props.get("protectedSettings").toString());
        props.remove("protectedSettings");
      }
    } else if (type.equalsIgnoreCase("Microsoft.Network/networkInterfaces") && existing == null) {
      java.util.Set<String> used = privateAddressesInUse();
      for (JsonNode ipc : props.path("ipConfigurations")) {
        ObjectNode p =
            ipc.has("properties")
                ? (ObjectNode) ipc.get("properties")
                : ((ObjectNode) ipc).putObject("properties");
        if (!"Static".equalsIgnoreCase(p.path("privateIPAllocationMethod").asText())) {
          String prefix = subnetPrefix(p.path("subnet").path("id").asText());
          while (used.contains(prefix + nextPrivate)) {
            nextPrivate++;
          }
          p.put("privateIPAddress", prefix + (nextPrivate++));
          p.put("privateIPAllocationMethod", "Dynamic");
        } else if (used.contains(p.path("privateIPAddress").asText())) {
          // As Azure: a static address another NIC (or a load balancer's frontend) holds.
          return new Answer(
              400,
              error(
                  "PrivateIPAddressInUse",
                  "private IP address " + p.path("privateIPAddress").asText() + " is in use"),
              Map.of());
        }
      }
    } else if (type.equalsIgnoreCase("Microsoft.Network/publicIPAddresses") && existing == null) {
      props.put("ipAddress", "203.0.113." + (nextPublic++));
    }
    ArmResource r = new ArmResource(id, body);
    boolean vm = type.equalsIgnoreCase("Microsoft.Compute/virtualMachines");
    r.readyAt = now + (isGroup ? 0 : vm ? vmLatencyNanos : latencyNanos);
    if (vm && failBoot.contains(name)) {
      r.failed = true;
      r.failure = "OSProvisioningTimedOut: the VM did not report ready after boot";
    }
    resources.put(key, r);
    if (vm && existing == null) {
      implicitDisk(r, now);
    }
    int status = existing == null ? 201 : 200;
    if (isGroup) {
      return new Answer(status, render(r, now), Map.of());
    }
    String opId = java.util.UUID.randomUUID().toString();
    operations.put(opId, new Operation(key, false));
    return new Answer(
        status, render(r, now), Map.of("Azure-AsyncOperation", base + "/fake/operations/" + opId));
  }

  /** Azure creates the OS disk itself; it carries no tags and goes with the VM if asked. */
  private void implicitDisk(ArmResource vm, long now) {
    String diskName = vm.name() + "_OsDisk";
    String id = groupOf(vm.id.toLowerCase()) + "/providers/Microsoft.Compute/disks/" + diskName;
    ObjectNode body = JSON.createObjectNode();
    body.put("id", id).put("name", diskName).put("type", "Microsoft.Compute/disks");
    body.put("location", vm.body.path("location").asText());
    body.putObject("properties");
    ArmResource disk = new ArmResource(id, body);
    disk.readyAt = now;
    resources.put(id.toLowerCase(), disk);
  }

  synchronized Answer get(String path, long now) {
    sweep(now);
    ArmResource r = resources.get(canonical(path).toLowerCase());
    if (r == null) {
      return new Answer(404, error("ResourceNotFound", path + " not found"), Map.of());
    }
    return new Answer(200, render(r, now), Map.of());
  }

  synchronized Answer delete(String path, String base, long now) {
    sweep(now);
    String key = canonical(path).toLowerCase();
    ArmResource r = resources.get(key);
    if (r == null) {
      return new Answer(204, null, Map.of());
    }
    if (r.goneAt == Long.MAX_VALUE) {
      r.goneAt = now + latencyNanos;
    }
    String opId = java.util.UUID.randomUUID().toString();
    operations.put(opId, new Operation(key, true));
    return new Answer(
        202, null, Map.of("Location", base + "/fake/operationResults/" + opId, "Retry-After", "0"));
  }

  synchronized Answer operation(String opId, boolean asyncOperation, long now) {
    sweep(now);
    Operation op = operations.get(opId);
    if (op == null) {
      return new Answer(404, error("NotFound", "no operation " + opId), Map.of());
    }
    ArmResource r = resources.get(op.resourceId());
    if (op.delete()) {
      boolean gone = r == null;
      return gone
          ? new Answer(200, null, Map.of())
          : new Answer(202, null, Map.of("Retry-After", "0"));
    }
    ObjectNode status = JSON.createObjectNode();
    String state = r == null ? "Canceled" : r.state(now);
    switch (state) {
      case "Succeeded" -> status.put("status", "Succeeded");
      case "Failed" -> {
        status.put("status", "Failed");
        status.putObject("error").put("code", "OSProvisioningTimedOut").put("message", r.failure);
      }
      case "Canceled" -> status.put("status", "Canceled");
      default -> status.put("status", "InProgress");
    }
    return new Answer(200, status, Map.of());
  }

  synchronized Answer listTagged(long now, boolean groups, String tag, String value) {
    sweep(now);
    ArrayNode out = JSON.createArrayNode();
    for (ArmResource r : resources.values()) {
      boolean isGroup = r.type().equals("Microsoft.Resources/resourceGroups");
      if (isGroup != groups) {
        continue;
      }
      if (tag == null || value.equals(r.body.path("tags").path(tag).asText(null))) {
        ObjectNode item = JSON.createObjectNode();
        item.put("id", r.id).put("name", r.name()).put("type", r.type());
        item.put("location", r.body.path("location").asText());
        item.set("tags", r.body.path("tags").deepCopy());
        out.add(item);
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("value", out);
    return new Answer(200, root, Map.of());
  }

  synchronized Answer compute(String location, String rest, long now) {
    ArrayNode value = JSON.createArrayNode();
    if (rest.equals("vmsizes")) {
      sizes.forEach(
          (name, cores) ->
              value
                  .addObject()
                  .put("name", name)
                  .put("numberOfCores", cores)
                  .put("memoryInMB", cores * 4096)
                  .put("osDiskSizeInMB", 1047552)
                  .put("resourceDiskSizeInMB", 0)
                  .put("maxDataDiskCount", 8));
    } else if (rest.equals("usages")) {
      ObjectNode u = value.addObject();
      u.put("unit", "Count").put("currentValue", usedCores(now)).put("limit", coresLimit);
      u.putObject("name").put("value", "cores").put("localizedValue", "Total Regional vCPUs");
    } else if (rest.startsWith("publishers/")) {
      String[] p = rest.split("/");
      // publishers/{p}/artifacttypes/vmimage/offers/{o}/skus/{s}/versions[/{v}]
      if (p.length < 8) {
        return new Answer(404, error("NotFound", rest), Map.of());
      }
      String prefix = p[1] + ":" + p[5] + ":" + p[7] + ":";
      List<String> versions =
          images.stream()
              .filter(i -> i.startsWith(prefix))
              .map(i -> i.substring(prefix.length()))
              .toList();
      if (p.length == 10) {
        if (!versions.contains(p[9])) {
          return new Answer(404, error("ImageNotFound", "no image " + prefix + p[9]), Map.of());
        }
        ObjectNode img = JSON.createObjectNode().put("name", p[9]).put("location", location);
        img.put("id", "/" + rest);
        img.putObject("properties");
        return new Answer(200, img, Map.of());
      }
      ArrayNode list = JSON.createArrayNode();
      versions.forEach(
          v ->
              list.addObject()
                  .put("name", v)
                  .put("location", location)
                  .put("id", "/" + rest + "/" + v));
      return new Answer(200, list, Map.of());
    } else {
      return new Answer(404, error("NotFound", rest), Map.of());
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("value", value);
    return new Answer(200, root, Map.of());
  }

  synchronized List<JsonNode> list(long now, Predicate<ArmResource> filter) {
    sweep(now);
    List<JsonNode> out = new ArrayList<>();
    resources.values().stream().filter(filter).forEach(r -> out.add(render(r, now)));
    return out;
  }

  String secret(String key) {
    return secrets.get(key);
  }

  private int usedCores(long now) {
    int used = 0;
    for (ArmResource r : resources.values()) {
      if (r.type().equalsIgnoreCase("Microsoft.Compute/virtualMachines")) {
        used +=
            sizes.getOrDefault(
                r.body.path("properties").path("hardwareProfile").path("vmSize").asText(), 0);
      }
    }
    return used;
  }

  /** Removes what finished deleting, with what goes along: a group's content, a VM's NIC/disk. */
  private void sweep(long now) {
    List<ArmResource> gone = new ArrayList<>();
    for (ArmResource r : resources.values()) {
      if (r.goneAt <= now) {
        gone.add(r);
      }
    }
    for (ArmResource r : gone) {
      String key = r.id.toLowerCase();
      resources.remove(key);
      if (r.type().equals("Microsoft.Resources/resourceGroups")) {
        resources.keySet().removeIf(k -> k.startsWith(key + "/"));
      } else if (r.type().equalsIgnoreCase("Microsoft.Compute/virtualMachines")) {
        resources.keySet().removeIf(k -> k.startsWith(key + "/"));
        JsonNode props = r.body.path("properties");
        if ("Delete"
            .equalsIgnoreCase(
                props.path("storageProfile").path("osDisk").path("deleteOption").asText())) {
          resources.remove(
              groupOf(key)
                  + "/providers/microsoft.compute/disks/"
                  + r.name().toLowerCase()
                  + "_osdisk");
        }
        for (JsonNode nic : props.path("networkProfile").path("networkInterfaces")) {
          if ("Delete".equalsIgnoreCase(nic.path("properties").path("deleteOption").asText())) {
            resources.remove(nic.path("id").asText().toLowerCase());
          }
        }
      }
    }
  }

  private ObjectNode render(ArmResource r, long now) {
    ObjectNode copy = r.body.deepCopy();
    ((ObjectNode) copy.path("properties")).put("provisioningState", r.state(now));
    return copy;
  }

  /** The private addresses NICs and load balancer frontends hold (all subnets: tests use one). */
  private java.util.Set<String> privateAddressesInUse() {
    java.util.Set<String> used = new java.util.HashSet<>();
    for (ArmResource r : resources.values()) {
      String kind =
          r.type().equalsIgnoreCase("Microsoft.Network/networkInterfaces")
              ? "ipConfigurations"
              : r.type().equalsIgnoreCase("Microsoft.Network/loadBalancers")
                  ? "frontendIPConfigurations"
                  : null;
      if (kind == null) {
        continue;
      }
      for (JsonNode ipc : r.body.path("properties").path(kind)) {
        String a = ipc.path("properties").path("privateIPAddress").asText("");
        if (!a.isEmpty()) {
          used.add(a);
        }
      }
    }
    return used;
  }

  private String subnetPrefix(String subnetId) {
    String vnetKey = subnetId.toLowerCase().replaceAll("/subnets/[^/]+$", "");
    ArmResource vnet = resources.get(vnetKey);
    if (vnet != null) {
      for (JsonNode s : vnet.body.path("properties").path("subnets")) {
        String prefix = s.path("properties").path("addressPrefix").asText("");
        if (subnetId.toLowerCase().endsWith("/subnets/" + s.path("name").asText().toLowerCase())
            && prefix.contains("/")) {
          String net = prefix.substring(0, prefix.indexOf('/'));
          return net.substring(0, net.lastIndexOf('.') + 1);
        }
      }
    }
    return "10.0.0.";
  }

  private static String canonical(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String groupOf(String key) {
    String[] p = key.split("/");
    return String.join("/", p[0], p[1], p[2], p[3], p[4]);
  }

  /**
   * {@code .../providers/Microsoft.Compute/virtualMachines/vm/extensions/x} → type with children.
   */
  private static String typeOf(String id) {
    String[] p = id.split("/providers/", 2)[1].split("/");
    StringBuilder type = new StringBuilder(p[0]);
    for (int i = 1; i < p.length; i += 2) {
      type.append('/').append(p[i]);
    }
    return type.toString();
  }
}

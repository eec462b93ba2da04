package io.strata.fakes.openstack;

import static io.strata.fakes.openstack.FakeOpenStack.JSON;
import static io.strata.fakes.openstack.FakeOpenStack.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fake OpenStack's state and its routes. Time is System.nanoTime(), passed in. */
final class OpenStackStore {
  record Answer(int status, JsonNode body, Map<String, String> headers) {}

  private static final Map<String, String> SINGULAR =
      Map.of(
          "networks", "network",
          "subnets", "subnet",
          "routers", "router",
          "security-groups", "security_group",
          "security-group-rules", "security_group_rule",
          "ports", "port",
          "floatingips", "floatingip");
  private static final Pattern NEUTRON =
      Pattern.compile(
          ".*/network(?:/v2\\.0)?/([a-z-]+)(?:/([^/]+)(?:/(tags|add_router_interface|remove_router_interface)(?:/([^/]+))?)?)?");
  private static final Pattern NOVA = Pattern.compile(".*/compute/v2\\.1/(.*)");
  private static final Pattern GLANCE = Pattern.compile(".*/image(?:/v2)?/images(?:/([^/]+))?");

  final Map<String, String> users = new ConcurrentHashMap<>();
  final Map<String, Integer> flavors = new ConcurrentHashMap<>();
  final Set<String> images = ConcurrentHashMap.newKeySet();
  final Set<String> failBoot = ConcurrentHashMap.newKeySet();
  final Set<String> tokens = ConcurrentHashMap.newKeySet();
  final Map<String, String> userData = new ConcurrentHashMap<>();
  volatile int coresLimit = 100_000;
  volatile long bootNanos;
  private final Map<String, Map<String, ObjectNode>> neutron = new LinkedHashMap<>();
  private final Map<String, ObjectNode> servers = new LinkedHashMap<>();
  private final Map<String, Long> readyAt = new LinkedHashMap<>();
  private final Map<String, ObjectNode> keypairs = new LinkedHashMap<>();

  /**
   * Ports created through Neutron (not by Nova for a server): a server's delete only unbinds them.
   */
  private final Set<String> userPorts = new java.util.HashSet<>();

  private int nextIp = 5;
  private int nextFloating = 10;

  OpenStackStore() {
    SINGULAR.keySet().forEach(k -> neutron.put(k, new LinkedHashMap<>()));
  }

  synchronized void externalNetwork(String name) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", "ext-" + name)
        .put("name", name)
        .put("router:external", true)
        .put("status", "ACTIVE");
    n.put("admin_state_up", true).putArray("subnets");
    n.putArray("tags");
    neutron.get("networks").put(n.get("id").asText(), n);
  }

  synchronized Answer route(
      String method, String path, Map<String, String> q, JsonNode body, String base, long now) {
    if (path.endsWith("/auth/tokens") && method.equals("POST")) {
      return token(body, base);
    }
    Matcher m = NEUTRON.matcher(path);
    if (m.matches() && SINGULAR.containsKey(m.group(1))) {
      return neutron(method, m.group(1), m.group(2), m.group(3), m.group(4), q, body);
    }
    m = NOVA.matcher(path);
    if (m.matches()) {
      return nova(method, m.group(1), q, body, now);
    }
    Matcher g = GLANCE.matcher(path);
    if (g.matches()) {
      String imageId = g.group(1);
      ArrayNode list = JSON.createArrayNode();
      images.stream()
          .filter(i -> q.get("name") == null || q.get("name").equals(i))
          .filter(i -> imageId == null || ("img-" + i).equals(imageId))
          .forEach(
              i ->
                  list.addObject()
                      .put("id", "img-" + i)
                      .put("name", i)
                      .put("status", "active")
                      .put("visibility", "public")
                      .put("disk_format", "qcow2")
                      .put("container_format", "bare"));
      if (imageId != null) {
        return list.isEmpty() ? notFound("image") : new Answer(200, list.get(0), Map.of());
      }
      ObjectNode root = JSON.createObjectNode();
      root.set("images", list);
      return new Answer(200, root, Map.of());
    }
    return notFound(path);
  }

  private Answer token(JsonNode body, String base) {
    JsonNode user = body.path("auth").path("identity").path("password").path("user");
    String name = user.path("name").asText();
    if (!user.path("password").asText().equals(users.get(name))) {
      return new Answer(
          401, error(401, "The request you have made requires authentication."), Map.of());
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    tokens.add(id);
    ObjectNode root = JSON.createObjectNode();
    ObjectNode t = root.putObject("token");
    t.putArray("methods").add("password");
    t.put("expires_at", "2099-01-01T00:00:00.000000Z")
        .put("issued_at", "2026-01-01T00:00:00.000000Z");
    ObjectNode u = t.putObject("user").put("id", "u-" + name).put("name", name);
    u.putObject("domain").put("id", "default").put("name", "Default");
    JsonNode scope = body.path("auth").path("scope").path("project");
    ObjectNode p =
        t.putObject("project")
            .put("id", "p-" + scope.path("name").asText())
            .put("name", scope.path("name").asText());
    p.putObject("domain").put("id", "default").put("name", "Default");
    ArrayNode catalog = t.putArray("catalog");
    service(catalog, "compute", "nova", base + "/compute/v2.1");
    service(catalog, "network", "neutron", base + "/network");
    service(catalog, "image", "glance", base + "/image");
    service(catalog, "identity", "keystone", base + "/identity/v3");
    return new Answer(201, root, Map.of("X-Subject-Token", id));
  }

  private static void service(ArrayNode catalog, String type, String name, String url) {
    ObjectNode s = catalog.addObject().put("type", type).put("name", name).put("id", "svc-" + name);
    s.putArray("endpoints")
        .addObject()
        .put("id", "ep-" + name)
        .put("interface", "public")
        .put("region", FakeOpenStack.REGION)
        .put("region_id", FakeOpenStack.REGION)
        .put("url", url);
  }

  // ---- Neutron --------------------------------------------------------------------------

  private Answer neutron(
      String method,
      String coll,
      String id,
      String action,
      String tag,
      Map<String, String> q,
      JsonNode body) {
    Map<String, ObjectNode> items = neutron.get(coll);
    String key = SINGULAR.get(coll);
    if (id == null) {
      if (method.equals("GET")) {
        ArrayNode list = JSON.createArrayNode();
        items.values().stream().filter(i -> matches(i, q)).forEach(list::add);
        ObjectNode root = JSON.createObjectNode();
        root.set(coll.replace('-', '_'), list);
        return new Answer(200, root, Map.of());
      }
      ObjectNode item = ((ObjectNode) body.path(key)).deepCopy();
      item.put("id", UUID.randomUUID().toString());
      item.put("status", "ACTIVE");
      if (coll.equals("ports")) {
        Answer refused = addressPort(item);
        if (refused != null) {
          return refused;
        }
      }
      if (!item.has("tags")) {
        item.putArray("tags");
      }
      created(coll, item);
      items.put(item.get("id").asText(), item);
      ObjectNode root = JSON.createObjectNode();
      root.set(key, item);
      return new Answer(201, root, Map.of());
    }
    ObjectNode item = items.get(id);
    if (item == null) {
      return notFound(key + " " + id);
    }
    if ("tags".equals(action)) {
      ArrayNode tags = (ArrayNode) item.get("tags");
      if (method.equals("PUT") && tag != null) {
        boolean has = false;
        for (JsonNode t : tags) {
          has |= t.asText().equals(tag);
        }
        if (!has) {
          tags.add(tag);
        }
        return new Answer(201, null, Map.of());
      }
      ObjectNode root = JSON.createObjectNode();
      root.set("tags", tags);
      return new Answer(200, root, Map.of());
    }
    if ("add_router_interface".equals(action) || "remove_router_interface".equals(action)) {
      String subnet = body.path("subnet_id").asText();
      if (action.startsWith("add")) {
        ObjectNode port = port(subnetNetwork(subnet), subnet, id, "network:router_interface");
        ObjectNode r =
            JSON.createObjectNode()
                .put("id", id)
                .put("subnet_id", subnet)
                .put("port_id", port.get("id").asText());
        return new Answer(200, r, Map.of());
      }
      neutron
          .get("ports")
          .values()
          .removeIf(
              p ->
                  p.path("device_id").asText().equals(id)
                      && p.path("fixed_ips").path(0).path("subnet_id").asText().equals(subnet));
      return new Answer(
          200, JSON.createObjectNode().put("id", id).put("subnet_id", subnet), Map.of());
    }
    return switch (method) {
      case "GET" -> {
        ObjectNode root = JSON.createObjectNode();
        root.set(key, item);
        yield new Answer(200, root, Map.of());
      }
      case "PUT" -> {
        body.path(key).fields().forEachRemaining(e -> item.set(e.getKey(), e.getValue()));
        ObjectNode root = JSON.createObjectNode();
        root.set(key, item);
        yield new Answer(200, root, Map.of());
      }
      case "DELETE" -> {
        items.remove(id);
        if (coll.equals("subnets")) {
          neutron
              .get("ports")
              .values()
              .removeIf(p -> p.path("fixed_ips").path(0).path("subnet_id").asText().equals(id));
        }
        yield new Answer(204, null, Map.of());
      }
      default -> new Answer(405, error(405, method), Map.of());
    };
  }

  private void created(String coll, ObjectNode item) {
    switch (coll) {
      case "networks" -> {
        item.putArray("subnets");
        item.put("admin_state_up", true);
      }
      case "subnets" -> {
        ObjectNode net = neutron.get("networks").get(item.path("network_id").asText());
        if (net != null) {
          ((ArrayNode) net.get("subnets")).add(item.get("id").asText());
        }
      }
      case "security-groups" -> item.putArray("security_group_rules");
      case "security-group-rules" -> {
        ObjectNode sg = neutron.get("security-groups").get(item.path("security_group_id").asText());
        if (sg != null) {
          ((ArrayNode) sg.get("security_group_rules")).add(item.deepCopy());
        }
      }
      case "floatingips" -> {
        item.put("floating_ip_address", "203.0.113." + (nextFloating++));
        ObjectNode port = neutron.get("ports").get(item.path("port_id").asText(""));
        if (port != null) {
          item.put("fixed_ip_address", port.path("fixed_ips").path(0).path("ip_address").asText());
        }
      }
      default -> {}
    }
  }

  private boolean matches(ObjectNode item, Map<String, String> q) {
    for (Map.Entry<String, String> e : q.entrySet()) {
      if (item.has(e.getKey()) && !item.get(e.getKey()).asText().equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private String subnetNetwork(String subnetId) {
    ObjectNode s = neutron.get("subnets").get(subnetId);
    return s == null ? "" : s.path("network_id").asText();
  }

  /**
   * A port created through Neutron's API: its requested fixed address, which must be free and
   * inside its subnet (409 otherwise, as Neutron answers), or the next free one of the subnet's
   * allocation pools. The port stays unbound until a server boots with it.
   */
  private Answer addressPort(ObjectNode item) {
    JsonNode fixed = item.path("fixed_ips").path(0);
    String subnetId = fixed.path("subnet_id").asText("");
    if (subnetId.isEmpty()) {
      ObjectNode net = neutron.get("networks").get(item.path("network_id").asText());
      subnetId = net == null ? "" : net.path("subnets").path(0).asText("");
    }
    ObjectNode subnet = neutron.get("subnets").get(subnetId);
    if (subnet == null) {
      return new Answer(400, error(400, "Invalid subnet for port"), Map.of());
    }
    String address = fixed.path("ip_address").asText("");
    if (address.isEmpty()) {
      address = freeAddress(subnet);
    } else {
      String cidr = subnet.path("cidr").asText();
      if (!address.startsWith(cidr.substring(0, cidr.lastIndexOf('.') + 1))) {
        return new Answer(
            400, error(400, address + " is not a valid IP for the subnet " + cidr), Map.of());
      }
      if (inUse(subnetId).contains(address)) {
        return new Answer(
            409,
            error(409, "IP address " + address + " already allocated in subnet " + subnetId),
            Map.of());
      }
    }
    item.put("device_id", item.path("device_id").asText(""))
        .put("device_owner", item.path("device_owner").asText(""))
        .put("mac_address", "fa:16:3e:00:01:" + String.format("%02x", nextIp++ & 0xff));
    item.putArray("fixed_ips").addObject().put("subnet_id", subnetId).put("ip_address", address);
    userPorts.add(item.get("id").asText());
    return null;
  }

  private Set<String> inUse(String subnetId) {
    Set<String> used = new java.util.HashSet<>();
    for (ObjectNode p : neutron.get("ports").values()) {
      JsonNode f = p.path("fixed_ips").path(0);
      if (f.path("subnet_id").asText().equals(subnetId)) {
        used.add(f.path("ip_address").asText());
      }
    }
    return used;
  }

  /** The lowest free address of the subnet's allocation pools (from .5 without pools). */
  private String freeAddress(ObjectNode subnet) {
    String cidr = subnet.path("cidr").asText("10.0.0.0/24");
    String net = cidr.substring(0, cidr.lastIndexOf('.') + 1);
    int first = 5;
    int last = 254;
    JsonNode pool = subnet.path("allocation_pools").path(0);
    if (pool.has("start") && pool.has("end")) {
      String start = pool.get("start").asText();
      String end = pool.get("end").asText();
      first = Integer.parseInt(start.substring(start.lastIndexOf('.') + 1));
      last = Integer.parseInt(end.substring(end.lastIndexOf('.') + 1));
    }
    Set<String> used = inUse(subnet.path("id").asText());
    for (int i = first; i <= last; i++) {
      if (!used.contains(net + i)) {
        return net + i;
      }
    }
    throw new IllegalStateException("no free address left in " + cidr);
  }

  private ObjectNode port(String networkId, String subnetId, String deviceId, String owner) {
    ObjectNode s = neutron.get("subnets").get(subnetId);
    ObjectNode port = JSON.createObjectNode();
    port.put("id", UUID.randomUUID().toString())
        .put("network_id", networkId)
        .put("device_id", deviceId)
        .put("device_owner", owner)
        .put("status", "ACTIVE")
        .put("mac_address", "fa:16:3e:00:00:" + String.format("%02x", nextIp & 0xff));
    nextIp++;
    port.putArray("fixed_ips")
        .addObject()
        .put("subnet_id", subnetId)
        .put("ip_address", s == null ? "10.0.0." + (nextIp & 0xff) : freeAddress(s));
    port.putArray("tags");
    neutron.get("ports").put(port.get("id").asText(), port);
    return port;
  }

  // ---- Nova -----------------------------------------------------------------------------

  private Answer nova(String method, String rest, Map<String, String> q, JsonNode body, long now) {
    if (rest.equals("flavors/detail") || rest.equals("flavors")) {
      ArrayNode list = JSON.createArrayNode();
      flavors.forEach(
          (name, vcpus) ->
              list.addObject()
                  .put("id", "flv-" + name)
                  .put("name", name)
                  .put("vcpus", vcpus)
                  .put("ram", vcpus * 4096)
                  .put("disk", 40)
                  .put("swap", "")
                  .put("os-flavor-access:is_public", true)
                  .put("rxtx_factor", 1.0));
      ObjectNode root = JSON.createObjectNode();
      root.set("flavors", list);
      return new Answer(200, root, Map.of());
    }
    if (rest.equals("limits")) {
      ObjectNode root = JSON.createObjectNode();
      ObjectNode abs = root.putObject("limits").putObject("absolute");
      root.with("limits").putArray("rate");
      abs.put("maxTotalCores", coresLimit).put("totalCoresUsed", usedCores(now));
      abs.put("maxTotalInstances", 10_000).put("totalInstancesUsed", servers.size());
      abs.put("maxTotalRAMSize", 1 << 30).put("totalRAMUsed", 0);
      return new Answer(200, root, Map.of());
    }
    if (rest.startsWith("os-keypairs")) {
      String name = rest.equals("os-keypairs") ? null : rest.substring("os-keypairs/".length());
      if (method.equals("POST")) {
        ObjectNode kp = ((ObjectNode) body.path("keypair")).deepCopy();
        kp.put("fingerprint", "00:11").put("user_id", "u");
        keypairs.put(kp.path("name").asText(), kp);
        ObjectNode root = JSON.createObjectNode();
        root.set("keypair", kp);
        return new Answer(200, root, Map.of());
      }
      if (name == null) {
        ArrayNode list = JSON.createArrayNode();
        keypairs.values().forEach(k -> list.addObject().set("keypair", k));
        ObjectNode root = JSON.createObjectNode();
        root.set("keypairs", list);
        return new Answer(200, root, Map.of());
      }
      ObjectNode kp = keypairs.get(name);
      if (kp == null) {
        return notFound("keypair " + name);
      }
      if (method.equals("DELETE")) {
        keypairs.remove(name);
        return new Answer(202, null, Map.of());
      }
      ObjectNode root = JSON.createObjectNode();
      root.set("keypair", kp);
      return new Answer(200, root, Map.of());
    }
    if (rest.equals("servers") && method.equals("POST")) {
      return boot(body.path("server"), now);
    }
    if (rest.equals("servers") || rest.equals("servers/detail")) {
      ArrayNode list = JSON.createArrayNode();
      for (ObjectNode s : servers.values()) {
        String name = q.get("name");
        if (name == null || Pattern.compile(name).matcher(s.path("name").asText()).find()) {
          list.add(render(s, now));
        }
      }
      ObjectNode root = JSON.createObjectNode();
      root.set("servers", list);
      return new Answer(200, root, Map.of());
    }
    if (rest.startsWith("servers/")) {
      String id = rest.substring("servers/".length());
      ObjectNode s = servers.get(id);
      if (s == null) {
        return notFound("server " + id);
      }
      if (method.equals("DELETE")) {
        servers.remove(id);
        // Nova deletes the ports it created for the server and only unbinds those it was given.
        neutron
            .get("ports")
            .values()
            .removeIf(
                p ->
                    p.path("device_id").asText().equals(id)
                        && !userPorts.contains(p.path("id").asText()));
        for (ObjectNode p : neutron.get("ports").values()) {
          if (p.path("device_id").asText().equals(id)) {
            p.put("device_id", "").put("device_owner", "");
          }
        }
        return new Answer(204, null, Map.of());
      }
      ObjectNode root = JSON.createObjectNode();
      root.set("server", render(s, now));
      return new Answer(200, root, Map.of());
    }
    return notFound(rest);
  }

  private Answer boot(JsonNode req, long now) {
    String name = req.path("name").asText();
    String flavor = req.path("flavorRef").asText();
    if (!flavors.containsKey(flavor.replaceFirst("^flv-", ""))) {
      return new Answer(400, error(400, "Flavor " + flavor + " could not be found."), Map.of());
    }
    int vcpus = flavors.get(flavor.replaceFirst("^flv-", ""));
    if (usedCores(now) + vcpus > coresLimit) {
      return new Answer(403, error(403, "Quota exceeded for cores"), Map.of());
    }
    String id = UUID.randomUUID().toString();
    ObjectNode s = JSON.createObjectNode();
    s.put("id", id)
        .put("name", name)
        .put("flavor_id", flavor)
        .put("image_id", req.path("imageRef").asText());
    s.set(
        "metadata",
        req.path("metadata").isObject() ? req.get("metadata").deepCopy() : JSON.createObjectNode());
    s.put("key_name", req.path("key_name").asText(null));
    if (req.hasNonNull("user_data")) {
      userData.put(
          name,
          new String(
              Base64.getDecoder().decode(req.get("user_data").asText()), StandardCharsets.UTF_8));
    }
    ObjectNode addresses = s.putObject("addresses");
    for (JsonNode n : req.path("networks")) {
      if (n.hasNonNull("port")) {
        ObjectNode given = neutron.get("ports").get(n.get("port").asText());
        if (given == null) {
          return new Answer(
              400, error(400, "Port " + n.get("port").asText() + " could not be found."), Map.of());
        }
        if (!given.path("device_id").asText("").isEmpty()) {
          return new Answer(
              409, error(409, "Port " + n.get("port").asText() + " is still in use."), Map.of());
        }
        given.put("device_id", id).put("device_owner", "compute:nova");
        ObjectNode net = neutron.get("networks").get(given.path("network_id").asText());
        addresses
            .withArray(net == null ? "net" : net.path("name").asText())
            .addObject()
            .put("addr", given.path("fixed_ips").path(0).path("ip_address").asText())
            .put("version", 4)
            .put("OS-EXT-IPS:type", "fixed");
        continue;
      }
      ObjectNode net = neutron.get("networks").get(n.path("uuid").asText());
      if (net == null) {
        return new Answer(
            400,
            error(400, "Network " + n.path("uuid").asText() + " could not be found."),
            Map.of());
      }
      String subnet = net.path("subnets").path(0).asText();
      ObjectNode port = port(net.get("id").asText(), subnet, id, "compute:nova");
      addresses
          .putArray(net.path("name").asText())
          .addObject()
          .put("addr", port.path("fixed_ips").path(0).path("ip_address").asText())
          .put("version", 4)
          .put("OS-EXT-IPS:type", "fixed");
    }
    servers.put(id, s);
    readyAt.put(id, now + bootNanos);
    ObjectNode root = JSON.createObjectNode();
    root.putObject("server").put("id", id).put("adminPass", "fake").putArray("links");
    return new Answer(202, root, Map.of());
  }

  private ObjectNode render(ObjectNode s, long now) {
    ObjectNode copy = s.deepCopy();
    String id = s.get("id").asText();
    boolean ready = now >= readyAt.getOrDefault(id, 0L);
    if (!ready) {
      copy.put("status", "BUILD");
    } else if (failBoot.contains(s.path("name").asText())) {
      copy.put("status", "ERROR");
      copy.putObject("fault")
          .put("code", 500)
          .put("message", "Build of instance " + id + " aborted: the guest did not boot");
    } else {
      copy.put("status", "ACTIVE");
    }
    copy.putObject("flavor").put("id", s.path("flavor_id").asText());
    copy.putObject("image").put("id", s.path("image_id").asText());
    return copy;
  }

  private int usedCores(long now) {
    int used = 0;
    for (ObjectNode s : servers.values()) {
      used += flavors.getOrDefault(s.path("flavor_id").asText().replaceFirst("^flv-", ""), 0);
    }
    return used;
  }

  synchronized List<JsonNode> ports() {
    List<JsonNode> out = new ArrayList<>();
    neutron.get("ports").values().forEach(p -> out.add(p.deepCopy()));
    return out;
  }

  synchronized List<JsonNode> servers(long now) {
    List<JsonNode> out = new ArrayList<>();
    servers.values().forEach(s -> out.add(render(s, now)));
    return out;
  }

  /** Neutron resources carrying the tag, servers with the metadata, keypairs named for it. */
  synchronized List<String> tagged(String tag, String key, String value, long now) {
    List<String> out = new ArrayList<>();
    neutron.forEach(
        (coll, items) ->
            items
                .values()
                .forEach(
                    i -> {
                      for (JsonNode t : i.path("tags")) {
                        if (t.asText().equals(tag)) {
                          out.add(
                              i.path("name").asText(i.path("floating_ip_address").asText(coll)));
                        }
                      }
                    }));
    servers.values().stream()
        .filter(s -> value.equals(s.path("metadata").path(key).asText(null)))
        .forEach(s -> out.add(s.path("name").asText()));
    keypairs.keySet().stream().filter(k -> k.startsWith(value + "-")).forEach(out::add);
    return out;
  }

  private static Answer notFound(String what) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("itemNotFound").put("code", 404).put("message", what + " not found");
    root.putObject("NeutronError").put("type", "NotFound").put("message", what + " not found");
    return new Answer(404, root, Map.of());
  }
}

package io.strata.allocator.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
  static final List<Grantee> GRANTEES =
      List.of(
          new Grantee("admin", Grantee.Kind.ADMIN, Set.of("*")),
          new Grantee("ops-viewer", Grantee.Kind.VIEWER, Set.of()),
          new Grantee("web", Grantee.Kind.FRAMEWORK, Set.of("eng/web")),
          new Grantee("any-role", Grantee.Kind.FRAMEWORK, Set.of("*")),
          new Grantee("bare", Grantee.Kind.FRAMEWORK, Set.of()));

  final Authorizer defaults = Authorizer.of(Acls.NONE, GRANTEES);

  /** An object of each kind the principal "web" may or may not act on. */
  static String inside(Action a) {
    return switch (a.objectKind()) {
      case ROLE -> "eng/web/api";
      case PRINCIPAL -> "web";
      case AGENT -> "A-1";
      case JOIN_TOKEN -> "new";
      case VIEW -> Action.View.STATE;
    };
  }

  static String outside(Action a) {
    return switch (a.objectKind()) {
      case ROLE -> "eng/webby";
      case PRINCIPAL -> "batch";
      case AGENT -> "A-2";
      case JOIN_TOKEN -> "abc";
      case VIEW -> Action.View.METRICS;
    };
  }

  /** Every principal kind × every action × an object inside and outside its grants. */
  @Test
  void theDefaultMatrix() {
    Map<Action, String> admin = new EnumMap<>(Action.class);
    Map<Action, String> viewer = new EnumMap<>(Action.class);
    Map<Action, String> web = new EnumMap<>(Action.class);
    Map<Action, String> bare = new EnumMap<>(Action.class);
    // Verdicts on (inside, outside): Y = allowed, N = refused.
    for (Action a : Action.values()) {
      admin.put(a, a.configurable() ? "YY" : "NN");
      viewer.put(a, a == Action.VIEW ? "YY" : "NN");
      bare.put(a, "NN");
    }
    web.put(Action.REGISTER_FRAMEWORKS, "YN");
    web.put(Action.TEARDOWN_FRAMEWORKS, "YN");
    web.put(Action.RESERVE_RESOURCES, "YN");
    web.put(Action.UNRESERVE_RESOURCES, "YN");
    web.put(Action.UPDATE_QUOTAS, "NN");
    web.put(Action.UPDATE_WEIGHTS, "NN");
    web.put(Action.DRAIN_AGENTS, "NN");
    web.put(Action.REACTIVATE_AGENTS, "NN");
    web.put(Action.REVOKE_AGENTS, "NN");
    web.put(Action.MANAGE_JOIN_TOKENS, "NN");
    web.put(Action.VIEW, "NN");
    web.put(Action.RUN_WORKLOADS, "NN");
    web.put(Action.ACT_AS_FRAMEWORK, "YN");
    bare.put(Action.ACT_AS_FRAMEWORK, "NN");
    List<String> wrong = new ArrayList<>();
    check(wrong, "admin", admin);
    check(wrong, "ops-viewer", viewer);
    check(wrong, "web", web);
    check(wrong, "bare", bare);
    check(wrong, "stranger", bare);
    assertThat(wrong).isEmpty();
    assertThat(web).hasSize(Action.values().length);
  }

  private void check(List<String> wrong, String principal, Map<Action, String> expected) {
    for (Action a : Action.values()) {
      String got =
          verdict(defaults.decide(principal, a, inside(a)))
              + verdict(defaults.decide(principal, a, outside(a)));
      if (!got.equals(expected.get(a))) {
        wrong.add(principal + " " + a.key() + ": expected " + expected.get(a) + ", got " + got);
      }
    }
  }

  private static String verdict(Decision d) {
    return d.allowed() ? "Y" : "N";
  }

  @Test
  void adminActsOnlyForItsOwnFrameworks() {
    assertThat(defaults.decide("admin", Action.ACT_AS_FRAMEWORK, "admin").allowed()).isTrue();
    assertThat(defaults.decide("admin", Action.ACT_AS_FRAMEWORK, "web").allowed()).isFalse();
  }

  @Test
  void aWildcardRoleAllowsEveryRole() {
    for (String role : List.of("a", "eng/web", "services")) {
      assertThat(defaults.decide("any-role", Action.REGISTER_FRAMEWORKS, role).allowed()).isTrue();
    }
    assertThat(defaults.decide("any-role", Action.UPDATE_WEIGHTS, "a").allowed()).isFalse();
  }

  @Test
  void refusalsNamePrincipalActionObjectAndWhy() {
    assertThat(defaults.decide("web", Action.UPDATE_WEIGHTS, "eng"))
        .isEqualTo(
            new Decision.Denied(
                "principal web may not update_weights on role eng (no ACL grants it;"
                    + " acls.permissive is false)"));
    assertThat(defaults.decide("web", Action.ACT_AS_FRAMEWORK, "batch"))
        .isInstanceOfSatisfying(
            Decision.Denied.class, d -> assertThat(d.reason()).contains("web").contains("batch"));
  }

  @Test
  void theFirstMatchingEntryDecidesAndNoneDenies() {
    Acls narrowing =
        acls(
            """
            register_frameworks:
              - principals: {values: [web]}
                roles: {type: NONE}
            update_weights:
              - principals: {type: ANY}
                objects: {values: [eng]}
              - principals: {values: [web]}
                objects: {type: NONE}
            """);
    Authorizer a = Authorizer.of(narrowing, GRANTEES);
    // An operator's NONE comes before what web's roles imply.
    assertThat(a.decide("web", Action.REGISTER_FRAMEWORKS, "eng/web"))
        .isInstanceOfSatisfying(
            Decision.Denied.class,
            d -> assertThat(d.reason()).contains("acls.register_frameworks[0]"));
    // Others are untouched by an entry whose principals don't match them.
    assertThat(a.decide("any-role", Action.REGISTER_FRAMEWORKS, "eng/web").allowed()).isTrue();
    // ANY principal on role eng (and below) first; web's NONE entry only for other roles.
    assertThat(a.decide("web", Action.UPDATE_WEIGHTS, "eng/x").allowed()).isTrue();
    assertThat(a.decide("bare", Action.UPDATE_WEIGHTS, "eng").allowed()).isTrue();
    assertThat(a.decide("web", Action.UPDATE_WEIGHTS, "ops").allowed()).isFalse();
    assertThat(a.decide("admin", Action.UPDATE_WEIGHTS, "ops").allowed()).isTrue();
  }

  @Test
  void permissiveAllowsWhatNoEntryMatches() {
    Authorizer a =
        Authorizer.of(
            acls(
                """
                permissive: true
                drain_agents:
                  - principals: {values: [web]}
                    agents: {type: NONE}
                """),
            GRANTEES);
    assertThat(a.decide("bare", Action.DRAIN_AGENTS, "A-1").allowed()).isTrue();
    assertThat(a.decide("web", Action.DRAIN_AGENTS, "A-1").allowed()).isFalse();
    assertThat(a.decide("stranger", Action.VIEW, "state").allowed()).isTrue();
    // Not an ACL: permissive does not let one principal act for another's framework.
    assertThat(a.decide("bare", Action.ACT_AS_FRAMEWORK, "web").allowed()).isFalse();
  }

  @Test
  void aViewerCanBeNarrowedToSomeViews() {
    Authorizer a =
        Authorizer.of(
            acls(
                """
                view:
                  - principals: {values: [ops-viewer]}
                    objects: {values: [state, agents]}
                  - principals: {values: [ops-viewer]}
                    objects: {type: NONE}
                """),
            GRANTEES);
    assertThat(a.decide("ops-viewer", Action.VIEW, "agents").allowed()).isTrue();
    assertThat(a.decide("ops-viewer", Action.VIEW, "metrics").allowed()).isFalse();
  }

  @Test
  void badEntriesAreRefusedWithTheirFieldPath() {
    assertThatThrownBy(
            () ->
                Codec.YAML.decode(
                    """
                    view:
                      - principals: {type: ANY, values: [a]}
                        objects: {}
                    """,
                    Acls.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .contains("view[0].principals.type", "view[0].objects.values"));
    assertThatThrownBy(() -> Codec.YAML.decode("view:\n  - principals: {type: ANY}\n", Acls.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .contains("view[0].objects"));
    assertThatThrownBy(() -> Codec.YAML.decode("act_as_framework: []\n", Acls.class))
        .isInstanceOf(ValidationException.class);
  }

  private static Acls acls(String yaml) {
    return Codec.YAML.decode(yaml, Acls.class);
  }
}

package io.strata.workloads.core;

import io.strata.api.json.Checks;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A placement constraint on an agent attribute. The attribute is an agent attribute set by the
 * operator ({@code zone}, {@code rack}) or one of the built-ins {@code hostname}, {@code os} and
 * {@code agentId}.
 *
 * <ul>
 *   <li>{@code EQUALS value}: only agents whose attribute equals the value.
 *   <li>{@code LIKE regex} / {@code UNLIKE regex}: only agents whose attribute matches (does not
 *       match) the regular expression, in full.
 *   <li>{@code UNIQUE}: at most one task of the app per attribute value ({@code hostname UNIQUE} is
 *       one per host).
 *   <li>{@code GROUP_BY}: spread evenly over the attribute's values: a task goes to a value with
 *       the fewest of the app's tasks.
 *   <li>{@code MAX_PER n}: at most n tasks of the app per attribute value.
 * </ul>
 */
public record Constraint(String attribute, Operator operator, String value) {

  public enum Operator {
    EQUALS,
    LIKE,
    UNLIKE,
    UNIQUE,
    GROUP_BY,
    MAX_PER
  }

  public static final String HOSTNAME = "hostname";
  public static final String OS = "os";
  public static final String AGENT_ID = "agentId";

  public Constraint {
    Checks c = new Checks().notBlank("attribute", attribute).notNull("operator", operator);
    if (operator != null) {
      switch (operator) {
        case EQUALS -> c.notNull("value", value);
        case LIKE, UNLIKE -> {
          c.notBlank("value", value);
          if (value != null && !value.isBlank()) {
            try {
              Pattern.compile(value);
            } catch (PatternSyntaxException e) {
              c.require(false, "value", "is not a regular expression: " + e.getDescription());
            }
          }
        }
        case UNIQUE, GROUP_BY ->
            c.require(value == null, "value", operator + " takes no value (remove it)");
        case MAX_PER -> {
          c.notBlank("value", value);
          if (value != null && !value.isBlank()) {
            c.require(
                value.matches("[1-9][0-9]{0,5}"),
                "value",
                "MAX_PER needs a whole number >= 1 (was '" + value + "')");
          }
        }
      }
    }
    c.done();
  }

  public static Constraint equalTo(String attribute, String value) {
    return new Constraint(attribute, Operator.EQUALS, value);
  }

  public static Constraint like(String attribute, String regex) {
    return new Constraint(attribute, Operator.LIKE, regex);
  }

  public static Constraint unique(String attribute) {
    return new Constraint(attribute, Operator.UNIQUE, null);
  }

  public static Constraint groupBy(String attribute) {
    return new Constraint(attribute, Operator.GROUP_BY, null);
  }

  public static Constraint maxPer(String attribute, int max) {
    return new Constraint(attribute, Operator.MAX_PER, Integer.toString(max));
  }

  /** For MAX_PER: the limit. */
  public int max() {
    return Integer.parseInt(value);
  }

  @Override
  public String toString() {
    return attribute + " " + operator + (value == null ? "" : " " + value);
  }
}

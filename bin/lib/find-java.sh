# Sourced by bin/strata and .ci/run: exports JAVA_HOME (and PATH) for a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, the default `java`, then JDKs under /usr/lib/jvm and
# /opt, newest first. Fails with a clear message if none is found.

strata_java_major() {
  # Prints the major version of the java binary $1, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version =/ {print $2; exit}' | cut -d. -f1
}

strata_find_java() {
  local min=21 candidate major
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(readlink -f "$(command -v java)")")
  for dir in $(ls -d /usr/lib/jvm/*/ /opt/*jdk*/ /opt/java/*/ 2>/dev/null | sort -rV); do
    candidates+=("${dir%/}/bin/java")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate" ] || continue
    major=$(strata_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] 2>/dev/null; then
      JAVA_HOME=$(dirname "$(dirname "$candidate")")
      export JAVA_HOME
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "strata: needs a JDK $min or newer; none found (set JAVA_HOME to one)" >&2
  return 1
}

strata_find_java

# Sourced by ./mvnw, ./run-local.sh and .ci/run: makes JAVA_HOME point at a JDK >= 21.
# Order: an existing JAVA_HOME that is new enough, the `java` on PATH, then JDKs under /usr/lib/jvm
# and ~/.sdkman (newest first). Fails with a clear message when none exists.
coves_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
coves_usable_jdk() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(coves_java_major "$1")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}
coves_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && coves_usable_jdk "$JAVA_HOME"; then return 0; fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if coves_usable_jdk "$candidate"; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  fi
  # mvnw runs with `set -f`; globbing is needed here.
  case $- in *f*) set +f; coves_restore_noglob=1 ;; *) coves_restore_noglob= ;; esac
  candidates=$(ls -d /usr/lib/jvm/*/ "$HOME"/.sdkman/candidates/java/*/ /opt/java/*/ 2>/dev/null | sort -rV)
  [ -z "$coves_restore_noglob" ] || set -f
  for candidate in $candidates; do
    candidate=${candidate%/}
    if coves_usable_jdk "$candidate"; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  done
  echo "ERROR: this build needs a JDK 21 or newer and none was found." >&2
  echo "       Looked at JAVA_HOME (${JAVA_HOME:-unset}), the javac on PATH, /usr/lib/jvm/*, ~/.sdkman and /opt/java." >&2
  echo "       Install one (e.g. Temurin 21 or 25) and/or set JAVA_HOME to it." >&2
  return 1
}
coves_find_jdk || exit 1

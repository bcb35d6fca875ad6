# Sourced by bench/opensearch/floor.sh and bigstore.sh: defines bulk_load ARGS..., which runs BulkLoad.java
# (with bench/depot/DepotBench.java, whose generated reports it loads) from a private copy of this worktree's
# classes, so that rebuilding the worktree during a long run cannot break it. Builds first unless
# BENCH_SKIP_BUILD is set. The JVM runs with the options of `ktriage ingest` (cli/jvm/ingest.options).
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  ./mvnw -q -o -pl depot,cli -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
    -Dmdep.includeScope=test
fi
BULK_JAVA="$(.mvn/find-jdk)/bin"
BULK_SNAP="$(mktemp -d /tmp/ktriage-bulkload-classes.XXXXXX)"
for m in depot model report-json grammar symbolizer cli store-opensearch; do
  cp -r "$m/target/classes" "$BULK_SNAP/$m"
done
cp -r depot/target/test-classes "$BULK_SNAP/depot-test"
cp -r store-opensearch/target/test-classes "$BULK_SNAP/store-opensearch-test"
BULK_DEPS="$(cat depot/target/cp.txt cli/target/cp.txt | tr ':' '\n' | grep -v '/target/classes$' \
  | grep -v '/target/test-classes$' | sort -u | paste -sd:)"
BULK_CP="$BULK_SNAP/depot:$BULK_SNAP/depot-test:$BULK_SNAP/model:$BULK_SNAP/report-json:$BULK_SNAP/grammar"
BULK_CP="$BULK_CP:$BULK_SNAP/symbolizer:$BULK_SNAP/cli:$BULK_SNAP/store-opensearch:$BULK_SNAP/store-opensearch-test:$BULK_DEPS"
mkdir -p "$BULK_SNAP/bench"
"$BULK_JAVA/javac" -nowarn -d "$BULK_SNAP/bench" -cp "$BULK_CP" bench/opensearch/BulkLoad.java \
  bench/depot/DepotBench.java
# shellcheck source=cli/jvm/options.sh
. cli/jvm/options.sh
ktriage_jvm_options ingest "$PWD/cli/jvm"
BULK_OPTS="${KTRIAGE_JVM_OPTIONS[*]}"
bulk_load() {
  # shellcheck disable=SC2086
  "$BULK_JAVA/java" ${BULK_OPTS} ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$BULK_SNAP/bench:$BULK_CP" \
    BulkLoad "$@"
}

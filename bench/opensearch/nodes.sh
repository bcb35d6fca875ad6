#!/usr/bin/env bash
# Starts or stops the 3-node OpenSearch cluster that bench/opensearch/run.sh measures against, so that it can
# also be kept up between runs while one looks at where the time goes (_nodes/stats, hot_threads).
# Usage: bench/opensearch/nodes.sh start WORKDIR [--heap 384m] [--version 3.7.0]   (prints the URLs)
#        bench/opensearch/nodes.sh stop WORKDIR
#        bench/opensearch/nodes.sh cpu WORKDIR   (CPU seconds the three nodes have used, utime + stime)
# The distribution (org.opensearch.distribution.integ-test-zip, from Maven Central through ./mvnw) refuses to
# run as root: as root the nodes run as the system user ktriage-os, created if missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
CMD="${1:?start|stop|cpu}"
WORK="${2:?work directory}"
shift 2
HEAP=384m
VERSION=3.7.0
while [ $# -gt 0 ]; do
  case "$1" in
    --heap) HEAP="$2"; shift 2 ;;
    --version) VERSION="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
SEEDS="127.0.0.1:9330,127.0.0.1:9331,127.0.0.1:9332"
URLS="http://127.0.0.1:9250,http://127.0.0.1:9251,http://127.0.0.1:9252"

case "$CMD" in
  stop)
    for i in 0 1 2; do
      [ -f "$WORK/node-$i/pid" ] && kill "$(cat "$WORK/node-$i/pid")" 2>/dev/null || true
    done
    for i in 0 1 2; do # never leave a node running: SIGKILL what has not stopped after 60 s
      if [ -f "$WORK/node-$i/pid" ]; then
        pid="$(cat "$WORK/node-$i/pid")"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
    done
    exit 0 ;;
  cpu)
    total=0
    for i in 0 1 2; do
      f=($(cut -d')' -f2- "/proc/$(cat "$WORK/node-$i/pid")/stat"))
      total=$((total + f[11] + f[12]))
    done
    echo "scale=1; $total / $(getconf CLK_TCK)" | bc
    exit 0 ;;
  start) ;;
  *) echo "unknown command $CMD" >&2; exit 2 ;;
esac

JDK="$(.mvn/find-jdk)"
ZIP="$HOME/.m2/repository/org/opensearch/distribution/integ-test-zip/opensearch/$VERSION/opensearch-$VERSION.zip"
if [ ! -f "$ZIP" ]; then
  ./mvnw -q dependency:get -Dartifact="org.opensearch.distribution.integ-test-zip:opensearch:$VERSION:zip" -Dtransitive=false
fi
mkdir -p "$WORK"
chmod 755 "$WORK"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  id ktriage-os >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin ktriage-os
  RUNAS=(runuser -u ktriage-os --)
fi
( cd "$WORK" && unzip -qo "$ZIP" )
DIST="$WORK/opensearch-$VERSION"
for i in 0 1 2; do
  N="$WORK/node-$i"
  mkdir -p "$N/data" "$N/logs"
  rm -rf "$N/config"
  cp -r "$DIST/config" "$N/config"
  cat >> "$N/config/opensearch.yml" <<YML
cluster.name: ktriage-bench
node.name: node-$i
path.data: $N/data
path.logs: $N/logs
network.host: 127.0.0.1
http.port: 925$i
transport.port: 933$i
discovery.seed_hosts: [$SEEDS]
cluster.initial_cluster_manager_nodes: [node-0, node-1, node-2]
cluster.routing.allocation.disk.threshold_enabled: false
YML
  sed -i -e "s/^-Xms.*/-Xms$HEAP/" -e "s/^-Xmx.*/-Xmx$HEAP/" "$N/config/jvm.options"
done
if [ "${#RUNAS[@]}" -gt 0 ]; then chown -R ktriage-os "$WORK"; fi
for i in 0 1 2; do
  N="$WORK/node-$i"
  env OPENSEARCH_PATH_CONF="$N/config" OPENSEARCH_JAVA_HOME="$JDK" "${RUNAS[@]}" "$DIST/bin/opensearch" -d -p "$N/pid" \
    > "$N/start.out" 2>&1
done
echo "waiting for green: $(uptime)" >&2
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:9250/_cluster/health?wait_for_status=green&timeout=5s" 2>/dev/null | grep -q '"status":"green"'; then
    break
  fi
  sleep 5
done
curl -fsS "http://127.0.0.1:9250/_cat/nodes?v&h=name,version,heap.max,node.role" >&2
for i in 0 1 2; do
  echo "node-$i RSS: $(ps -o rss= -p "$(cat "$WORK/node-$i/pid")") KB" >&2
done
echo "$URLS"

#!/usr/bin/env bash
# Fetch Beam's Flink and Spark job-server jars with Maven into a cache folder.
#
#   scripts/fetch_runners.sh [flink] [spark]     (both when none is named)
#
# The Beam version is the one constraints.txt pins for the Python SDK: a job server
# must be of the SDK's own release. Settings (environment):
#   CORPUSGATE_RUNNERS_DIR  where the jars go (default: .cache/runners in the repository)
#   FLINK_VERSION           the Flink minor version of the job server (default 1.20)
#   MAVEN_ARGS              extra mvn arguments, e.g. "-s mirror-settings.xml" or "-U"
# A jar already in the folder is not fetched again. Maven copies from its local
# repository (~/.m2) when it has the jar, so a fresh clone fetches nothing twice.
# Prints the path of each jar; exits 2 with one line per jar that Maven could not get.
set -uo pipefail
cd "$(dirname "$0")/.."

beam_version=$(sed -n 's/^apache-beam==\([0-9.]*\).*/\1/p' constraints.txt)
if [ -z "$beam_version" ]; then
  echo "fetch_runners: constraints.txt pins no apache-beam version" >&2
  exit 2
fi
flink_version=${FLINK_VERSION:-1.20}
dir=${CORPUSGATE_RUNNERS_DIR:-.cache/runners}
# The dependency plugin Maven 3.8 binds by default (2.8) cannot copy without a pom.
plugin=org.apache.maven.plugins:maven-dependency-plugin:3.6.1

if ! command -v mvn >/dev/null 2>&1; then
  echo "fetch_runners: mvn (Apache Maven) is not installed" >&2
  exit 2
fi
mkdir -p "$dir"

engines=("$@")
[ ${#engines[@]} -eq 0 ] && engines=(flink spark)
status=0
for engine in "${engines[@]}"; do
  case "$engine" in
    flink) artifact="beam-runners-flink-${flink_version}-job-server" ;;
    spark) artifact="beam-runners-spark-3-job-server" ;;
    *)
      echo "fetch_runners: unknown engine '$engine' (flink or spark)" >&2
      exit 2
      ;;
  esac
  jar="$dir/$artifact-$beam_version.jar"
  if [ -s "$jar" ]; then
    echo "$jar"
    continue
  fi
  coordinate="org.apache.beam:$artifact:$beam_version"
  log="$dir/$artifact-$beam_version.mvn.log"
  # -U: ask the repository again even if an earlier attempt found nothing (Maven
  # would otherwise remember the miss for a day).
  # shellcheck disable=SC2086  # MAVEN_ARGS holds several words on purpose
  if mvn -B -q -U ${MAVEN_ARGS:-} "$plugin:copy" -Dartifact="$coordinate" \
    -DoutputDirectory="$dir" >"$log" 2>&1 && [ -s "$jar" ]; then
    rm -f "$log"
    echo "$jar"
  else
    reason=$(grep -m1 -o -E 'not found in [^ ]+|Could not find artifact [^ ]+ in [^ ]+|Could not transfer [^:]+' "$log")
    echo "fetch_runners: $coordinate could not be fetched (${reason:-see $log})" >&2
    status=2
  fi
done
exit $status

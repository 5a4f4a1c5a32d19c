#!/usr/bin/env bash
# Download the Kafka broker jars into lib/ via Maven (cached in ~/.m2). Idempotent: a stamp file
# records what lib/ holds, so repeated calls (every `npm test`) return at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# The stamp includes a hash of pom.xml so that editing a version there forces a re-fetch.
want="kafka_2.13-3.9.1 $(sha256sum pom.xml | cut -c1-16)"
if [[ -f lib/.stamp && "$(cat lib/.stamp)" == "$want" ]]; then
  exit 0
fi

# Two test runs on a fresh machine may both get here: let one download, the other then sees the stamp.
if command -v flock >/dev/null; then
  exec 9>.fetch.lock
  flock 9
  if [[ -f lib/.stamp && "$(cat lib/.stamp)" == "$want" ]]; then exit 0; fi
fi

command -v mvn >/dev/null || { echo "fetch.sh: mvn not found (Maven 3 and Java 17+ are needed)" >&2; exit 1; }

# Fetch into a scratch dir and swap it in, so an interrupted download never leaves a half lib/.
rm -rf lib.tmp
# Maven prints stray ANSI resets even with -q -B: keep its output and show it only on failure.
if ! out=$(mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib.tmp -DincludeScope=runtime 2>&1); then
  echo "$out" >&2
  echo "fetch.sh: mvn dependency:copy-dependencies failed" >&2
  exit 1
fi
echo "$want" > lib.tmp/.stamp
rm -rf lib
mv lib.tmp lib

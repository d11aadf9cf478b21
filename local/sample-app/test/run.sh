#!/bin/sh
# A small test runner for the sample app, in POSIX sh for ctp/busybox: runs every test_* function
# of test/<tier>/*.sh and writes one Surefire-style JUnit report per file to
# build/test-reports/TEST-sample-app.<tier>.<file>.xml, each test case with its `file`. Exits
# non-zero when a test fails. With a second argument, a file listing test files one per line
# (relative to the app, as run-test-tier's $TEST_SHARD_FILES has them), only those run.
#   sh test/run.sh unit|integration|functional|acceptance [list-file]
set -u
tier="${1:?usage: test/run.sh <tier> [list-file]}"
list="${2:-}"
here="$(cd "$(dirname "$0")" && pwd)"
app="$(dirname "$here")"
reports="$app/build/test-reports"
mkdir -p "$reports"
[ -d "$here/$tier" ] || { echo "no tests for tier '$tier' in $here/$tier" >&2; exit 2; }

xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
# Seconds since boot with centiseconds: busybox date has no sub-second format.
now() { cut -d' ' -f1 /proc/uptime; }

# Assertions used by the tests; they print what differed and fail the test.
fail() { echo "$*" >&2; return 1; }
assert_eq() { [ "$1" = "$2" ] || fail "expected '$2' but was '$1'${3:+ ($3)}"; }
assert_contains() { case "$1" in *"$2"*) ;; *) fail "expected to contain '$2': $1" ;; esac; }

# For unit tests of a CGI: a scratch app root whose www/version holds $1 (default 1.2.3).
scratch() {
  root="$(mktemp -d)"
  mkdir -p "$root/www"
  printf '%s\n' "${1:-1.2.3}" >"$root/www/version"
  echo "$root"
}

# For tiers that talk to the packaged site: busybox httpd on a free-ish local port, waited for;
# sets $port and $pid (the test kills $pid when done).
serve() {
  port=$(( 20000 + $$ % 20000 ))
  httpd -f -p "127.0.0.1:$port" -h "$APP/build/site/www" &
  pid=$!
  i=0
  until wget -q -O /dev/null "http://127.0.0.1:$port/version" 2>/dev/null; do
    i=$((i + 1)); [ "$i" -lt 50 ] || { kill "$pid"; fail "httpd did not start on port $port"; }
    sleep 0.1
  done
}

if [ -n "$list" ]; then
  files="$(sed -e '/^$/d' -e "s|^|$app/|" "$list")"
else
  files="$(ls "$here/$tier"/*.sh 2>/dev/null || true)"
fi

total_failed=0
for file in $files; do
  [ -f "$file" ] || { echo "no test file $file" >&2; exit 2; }
  suite="sample-app.$tier.$(basename "$file" .sh)"
  cases="$(mktemp)"
  tests=0; failures=0; suite_start=$(now)
  for name in $(grep -o '^test_[A-Za-z0-9_]*' "$file"); do
    tests=$((tests + 1))
    out="$(mktemp)"
    start=$(now)
    # Each test in its own subshell: set -e inside, its state gone afterwards.
    ( set -e; . "$file"; APP="$app"; "$name" ) >"$out" 2>&1
    status=$?
    end=$(now)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    if [ "$status" -eq 0 ]; then
      echo "  ✓ $suite $name ($secs s)"
      printf '  <testcase classname="%s" name="%s" time="%s" file="%s"/>\n' "$suite" "$name" "$secs" "test/$tier/$(basename "$file")" >>"$cases"
    else
      failures=$((failures + 1))
      message="$(tail -n 1 "$out" | xml_escape)"
      echo "  ✗ $suite $name ($secs s): $(tail -n 1 "$out")"
      {
        printf '  <testcase classname="%s" name="%s" time="%s" file="%s">\n' "$suite" "$name" "$secs" "test/$tier/$(basename "$file")"
        printf '    <failure message="%s" type="AssertionError">' "$message"
        xml_escape <"$out"
        printf '    at %s(%s)</failure>\n  </testcase>\n' "$name" "test/$tier/$(basename "$file")"
      } >>"$cases"
    fi
    rm -f "$out"
  done
  suite_secs=$(awk -v a="$suite_start" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    printf '<testsuite name="%s" tests="%s" failures="%s" errors="0" skipped="0" time="%s">\n' "$suite" "$tests" "$failures" "$suite_secs"
    cat "$cases"
    echo '</testsuite>'
  } >"$reports/TEST-$suite.xml"
  rm -f "$cases"
  total_failed=$((total_failed + failures))
done
[ "$total_failed" -eq 0 ] || { echo "$total_failed test(s) failed in tier $tier" >&2; exit 1; }

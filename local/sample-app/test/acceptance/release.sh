# Acceptance, against a deployed environment: BASE_URL (its load balancer) and EXPECTED_VERSION,
# by default the version of the build output this job downloaded (build/VERSION).
test_environment_serves_the_expected_version() {
  [ -n "${BASE_URL:-}" ] || fail "BASE_URL is not set"
  expected="${EXPECTED_VERSION:-$(cat "$APP/build/VERSION" 2>/dev/null)}"
  [ -n "$expected" ] || fail "neither EXPECTED_VERSION nor build/VERSION says which version to expect"
  assert_eq "$(wget -q -O - "$BASE_URL/version")" "$expected"
}

test_environment_is_healthy() {
  assert_contains "$(wget -q -O - "$BASE_URL/cgi-bin/health")" "ok"
}

# The home page as a visitor sees it: served, and naming the release.
test_home_page_names_the_version() {
  expected="${EXPECTED_VERSION:-$(cat "$APP/build/VERSION" 2>/dev/null)}"
  page="$(wget -q -O - "$BASE_URL/" 2>/dev/null)" \
    || fail "GET $BASE_URL/ answered $(wget -S -O /dev/null "$BASE_URL/" 2>&1 | sed -n 's/^ *HTTP\/[0-9.]* //p' | head -n 1)"
  assert_contains "$page" "version $expected"
}

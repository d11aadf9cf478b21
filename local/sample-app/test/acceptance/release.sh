# Acceptance, against a deployed environment: BASE_URL (its load balancer) and EXPECTED_VERSION.
test_environment_serves_the_expected_version() {
  [ -n "${BASE_URL:-}" ] || fail "BASE_URL is not set"
  assert_eq "$(wget -q -O - "$BASE_URL/version")" "${EXPECTED_VERSION:?EXPECTED_VERSION is not set}"
}

test_environment_is_healthy() {
  assert_contains "$(wget -q -O - "$BASE_URL/cgi-bin/health")" "ok"
}

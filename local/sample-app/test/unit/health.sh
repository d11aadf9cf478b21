# Unit tests of the health CGI: run it directly, as httpd would, against a scratch app root.

test_healthy_release_answers_200_with_its_version() {
  root="$(scratch 1.2.3)"
  out="$(APP_ROOT="$root" sh "$APP/src/cgi-bin/health")"
  assert_contains "$out" "Status: 200 OK"
  assert_contains "$out" "ok 1.2.3"
}

test_broken_release_answers_503() {
  root="$(scratch 9.9.9)"
  touch "$root/BROKEN"
  out="$(APP_ROOT="$root" sh "$APP/src/cgi-bin/health")"
  assert_contains "$out" "Status: 503"
  assert_contains "$out" "unhealthy 9.9.9"
}

test_missing_version_is_unhealthy() {
  root="$(mktemp -d)"
  out="$(APP_ROOT="$root" sh "$APP/src/cgi-bin/health")"
  assert_contains "$out" "Status: 503"
}

# Unit tests of the version CGI: run it directly, as httpd would, against a scratch app root.

test_version_answers_200_with_the_version() {
  root="$(scratch 1.2.3)"
  out="$(APP_ROOT="$root" sh "$APP/src/cgi-bin/version")"
  assert_contains "$out" "Status: 200 OK"
  assert_contains "$out" "1.2.3"
}

test_errors_release_answers_every_second_request_with_500() {
  root="$(scratch 1.3.0)"
  touch "$root/ERRORS"
  tmp="$(mktemp -d)"
  first="$(TMPDIR="$tmp" APP_ROOT="$root" sh "$APP/src/cgi-bin/version")"
  second="$(TMPDIR="$tmp" APP_ROOT="$root" sh "$APP/src/cgi-bin/version")"
  assert_contains "$first" "Status: 200 OK"
  assert_contains "$second" "Status: 500"
  assert_contains "$second" "error 1.3.0"
}

# Integration: the packaged site served by busybox httpd on a local port.
test_serves_version_and_health() {
  serve
  version="$(wget -q -O - "http://127.0.0.1:$port/version")"
  health="$(wget -q -O - "http://127.0.0.1:$port/cgi-bin/health" || true)"
  kill "$pid"
  assert_eq "$version" "$(cat "$APP/build/VERSION")"
  assert_eq "$health" "ok $version"
}

# Integration: the packaged site served by busybox httpd on a local port.
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

test_serves_version_and_health() {
  serve
  version="$(wget -q -O - "http://127.0.0.1:$port/version")"
  health="$(wget -q -O - "http://127.0.0.1:$port/cgi-bin/health" || true)"
  kill "$pid"
  assert_eq "$version" "$(cat "$APP/build/VERSION")"
  assert_eq "$health" "ok $version"
}

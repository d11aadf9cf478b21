# Functional: how the service answers what a client may ask.
serve() {
  port=$(( 20000 + ($$ + 7) % 20000 ))
  httpd -f -p "127.0.0.1:$port" -h "$APP/build/site/www" &
  pid=$!
  i=0
  until wget -q -O /dev/null "http://127.0.0.1:$port/version" 2>/dev/null; do
    i=$((i + 1)); [ "$i" -lt 50 ] || { kill "$pid"; fail "httpd did not start on port $port"; }
    sleep 0.1
  done
}

test_unknown_path_is_404() {
  serve
  out="$(wget -S -O /dev/null "http://127.0.0.1:$port/nope" 2>&1 || true)"
  kill "$pid"
  assert_contains "$out" "404"
}

test_index_names_the_version() {
  serve
  out="$(wget -q -O - "http://127.0.0.1:$port/")"
  kill "$pid"
  assert_contains "$out" "version $(cat "$APP/build/VERSION")"
}

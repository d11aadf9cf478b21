# Functional: how the service answers what a client may ask.
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

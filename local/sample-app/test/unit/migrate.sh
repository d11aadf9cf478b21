# Unit tests of bin/migrate and the schema CGI, against a scratch app root and data directory.
# Its own two migrations, not the release's: the release's may need data these tests do not have.
scratch_app() {
  root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/migrations"
  cp "$APP/src/bin/migrate" "$root/bin/migrate"
  printf 'set -eu\n: >"$1/visits"\necho "001: created visits"\n' >"$root/migrations/001-create-visits.sh"
  printf 'set -eu\necho referrer >"$1/visits.columns"\n' >"$root/migrations/002-add-referrer.sh"
  echo "$root"
}

test_migrate_applies_every_migration_in_order_and_records_the_version() {
  root="$(scratch_app)"
  data="$(mktemp -d)"
  out="$(APP_ROOT="$root" DATA_DIR="$data" sh "$root/bin/migrate")" || fail "migrate failed: $out"
  assert_contains "$out" "applying 001-create-visits.sh"
  assert_contains "$out" "done, schema at version 2"
  assert_eq "$(cat "$data/schema-version")" "2"
  assert_contains "$(DATA_DIR="$data" sh "$APP/src/cgi-bin/schema")" "2"
}

test_migrate_applies_only_what_is_new() {
  root="$(scratch_app)"
  data="$(mktemp -d)"
  echo 1 >"$data/schema-version"
  out="$(APP_ROOT="$root" DATA_DIR="$data" sh "$root/bin/migrate")" || fail "migrate failed: $out"
  case "$out" in *001-*) fail "001 applied again: $out" ;; esac
  assert_contains "$out" "applying 002-add-referrer.sh"
  assert_eq "$(cat "$data/schema-version")" "2"
}

test_a_failing_migration_exits_3_and_keeps_the_schema() {
  root="$(scratch_app)"
  data="$(mktemp -d)"
  printf 'echo "003: column exists" >&2\nexit 1\n' >"$root/migrations/003-broken.sh"
  code=0
  out="$(APP_ROOT="$root" DATA_DIR="$data" sh "$root/bin/migrate" 2>&1)" || code=$?
  assert_eq "$code" "3" "exit code"
  assert_contains "$out" "migrate: FAILED: 003-broken.sh exited 1; schema stays at version 2"
  assert_eq "$(cat "$data/schema-version")" "2"
}

test_schema_cgi_says_none_before_any_migration() {
  assert_contains "$(DATA_DIR="$(mktemp -d)" sh "$APP/src/cgi-bin/schema")" "none"
}

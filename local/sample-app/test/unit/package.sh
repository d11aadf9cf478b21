# Unit tests of what build.sh packaged (run after the build, as surefire runs after compile).
test_site_is_stamped_with_the_version() {
  assert_eq "$(cat "$APP/build/site/www/version")" "$(cat "$APP/build/VERSION")"
  assert_contains "$(cat "$APP/build/site/www/index.html")" "version $(cat "$APP/build/VERSION")"
}

test_health_cgi_is_executable() {
  [ -x "$APP/build/site/www/cgi-bin/health" ] || fail "build/site/www/cgi-bin/health is not executable"
}

test_migration_and_schema_cgi_are_packaged_executable() {
  [ -x "$APP/build/site/bin/migrate" ] || fail "build/site/bin/migrate is not executable"
  [ -x "$APP/build/site/www/cgi-bin/schema" ] || fail "build/site/www/cgi-bin/schema is not executable"
  assert_eq "$(ls "$APP/build/site/migrations" | tr '\n' ' ')" "$(ls "$APP/migrations" | tr '\n' ' ')"
}

#!/bin/sh
# The sample app's build: what `mvn -B clean package` is to a Maven project. Checks the sources
# and assembles the deployable site into build/site (the "jar"), stamped with the version.
# Runs in ctp/busybox (build-in-container), with only POSIX sh and busybox tools.
set -eu
cd "$(dirname "$0")"
version="${VERSION:-$(cat VERSION)}"
case "$version" in
  ''|*[!A-Za-z0-9._+-]*) echo "build: VERSION '$version' is not a version (letters, digits, . _ + - only)" >&2; exit 2 ;;
esac
echo "build: clean"
rm -rf build
echo "build: check scripts"
for script in build.sh src/cgi-bin/* src/bin/* migrations/*.sh test/run.sh test/*/*.sh; do
  sh -n "$script" || { echo "build: syntax error in $script" >&2; exit 1; }
done
echo "build: package version $version"
mkdir -p build/site/www/cgi-bin build/site/bin build/site/migrations
sed "s/@VERSION@/$version/g" src/www/index.html > build/site/www/index.html
cp src/cgi-bin/health src/cgi-bin/version src/cgi-bin/schema build/site/www/cgi-bin/
cp src/bin/migrate build/site/bin/migrate
cp migrations/*.sh build/site/migrations/
chmod 755 build/site/www/cgi-bin/health build/site/www/cgi-bin/version build/site/www/cgi-bin/schema build/site/bin/migrate
printf '%s\n' "$version" > build/site/www/version
printf '%s\n' "$version" > build/VERSION
count=$(find build/site -type f | wc -l)
echo "build: packaged $count files into build/site"

#!/usr/bin/env bash
# The local stack: a Docker engine, a real registry (Debian's docker-registry) on 127.0.0.1 with
# htpasswd basic auth, base images built locally without pulling anything, and Debian's Chromium
# for the tests that open the run pages in a browser.
#
#   bash local/stack.sh up      start (idempotent), then print the environment to use
#   bash local/stack.sh down    stop the registry (and the engine, if this script started it)
#   bash local/stack.sh env     print the environment of a running stack
#
# Everything it makes lives in $CTP_STATE_DIR (default: ~/.local/state/commit-to-prod). The
# stack is one per machine (the registry owns a fixed port), so every clone shares it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${CTP_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/commit-to-prod}
registry_port=${CTP_REGISTRY_PORT:-5000}
registry_user=${CTP_REGISTRY_USER:-ctp}
base_image=ctp/busybox:latest

say() { printf '[local-stack] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

need_root_debian() {
  # What to install when this script may not do it itself.
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "$1 is missing and this script can only install it as root on Debian. Install: $2"
  fi
}

apt_install() {
  need_root_debian "$1" "$2"
  if [ ! -f "$state/.apt-updated" ]; then
    say "apt-get update"
    apt-get update -qq >/dev/null
    mkdir -p "$state" && touch "$state/.apt-updated"
  fi
  say "installing $2 (Debian packages)"
  # With recommends, as the stack was tested (docker.io recommends the tools dockerd expects).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null
}

docker_ok() { docker info >/dev/null 2>&1; }

ensure_docker() {
  if docker_ok; then say "Docker engine: running ($(docker version --format '{{.Server.Version}}'))"; return; fi
  command -v dockerd >/dev/null 2>&1 || apt_install "the Docker engine" "docker.io"
  command -v docker >/dev/null 2>&1 || apt_install "the Docker client" "docker.io"
  # Where the package's own init script started the engine, use that one.
  for _ in $(seq 1 10); do docker_ok && break; sleep 0.5; done
  if docker_ok; then say "Docker engine: running ($(docker version --format '{{.Server.Version}}'))"; return; fi
  [ "$(id -u)" = 0 ] || die "the Docker engine is not running and only root can start dockerd here; start it (e.g. 'sudo dockerd &') and run again"
  say "starting dockerd (log: $state/dockerd.log)"
  mkdir -p "$state"
  # No userland proxy: a published port is forwarded by the kernel (iptables DNAT) instead of a
  # docker-proxy process per port copying every byte (issue 29: ~70 of them a suite run).
  nohup dockerd --userland-proxy=false >"$state/dockerd.log" 2>&1 &
  echo $! >"$state/dockerd.pid"
  for _ in $(seq 1 60); do docker_ok && break; sleep 0.5; done
  docker_ok || { tail -n 20 "$state/dockerd.log" >&2; die "dockerd did not become ready in 30s"; }
  say "Docker engine: started ($(docker version --format '{{.Server.Version}}'))"
}

# 401 is the healthy answer of a registry with auth; anything answering HTTP on /v2/ counts.
registry_up() {
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$registry_port/v2/" 2>/dev/null) || true
  [ "$code" = 401 ] || [ "$code" = 200 ]
}

ensure_registry() {
  command -v docker-registry >/dev/null 2>&1 || apt_install "the registry" "docker-registry"
  command -v htpasswd >/dev/null 2>&1 || apt_install "htpasswd" "apache2-utils"
  mkdir -p "$state/registry/data"
  if [ ! -s "$state/registry/password" ]; then
    # A fresh random password per stack; it never appears on a command line.
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$state/registry/password"
    chmod 600 "$state/registry/password"
    htpasswd -iBc "$state/registry/htpasswd" "$registry_user" <"$state/registry/password" 2>/dev/null
  fi
  cat >"$state/registry/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $state/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$registry_port
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: ctp-local
    path: $state/registry/htpasswd
YAML
  if registry_up; then
    # A registry started from another state directory would refuse this stack's password.
    local code
    code=$(curl -sS -o /dev/null -w '%{http_code}' -K - "http://127.0.0.1:$registry_port/v2/" <<<"user = \"$registry_user:$(cat "$state/registry/password")\"") || true
    [ "$code" = 200 ] || die "a registry on 127.0.0.1:$registry_port refuses this stack's credentials ($state): it was started from another state directory; stop it, or set CTP_STATE_DIR to that directory"
    say "registry: running on 127.0.0.1:$registry_port"
    return
  fi
  say "starting docker-registry on 127.0.0.1:$registry_port (log: $state/registry.log)"
  nohup docker-registry serve "$state/registry/config.yml" >"$state/registry.log" 2>&1 &
  echo $! >"$state/registry.pid"
  for _ in $(seq 1 40); do registry_up && break; sleep 0.25; done
  registry_up || { tail -n 20 "$state/registry.log" >&2; die "the registry did not answer on 127.0.0.1:$registry_port"; }
}

ensure_base_image() {
  if docker image inspect "$base_image" >/dev/null 2>&1; then say "base image: $base_image present"; return; fi
  static_busybox || apt_install "a static busybox" "busybox-static"
  local bb
  bb=$(command -v busybox)
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/home" "$root/var/www"
  chmod 1777 "$root/tmp"
  cp "$bb" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["/bin/sh"]' - "$base_image" >/dev/null
  rm -rf "$root"
  say "base image: $base_image imported from $(basename "$bb") ($(file -bL "$bb" | cut -d, -f1))"
}

# Whole-stack test tiers need Docker Compose: the plugin where the engine has it, else Debian's
# docker-compose.
ensure_compose() {
  if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then
    say "Docker Compose: present"
    return
  fi
  apt_install "Docker Compose" "docker-compose"
  say "Docker Compose: installed ($(docker-compose version --short 2>/dev/null || echo docker-compose))"
}

# The run page's browser test opens pages in Debian's Chromium (headless, through playwright-core).
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then say "Chromium: present"; return; fi
  apt_install "Chromium (for the run page's browser test)" "chromium"
  say "Chromium: installed ($(chromium --version 2>/dev/null | head -n 1))"
}

print_env() {
  cat <<ENV
export CTP_REGISTRY=127.0.0.1:$registry_port
export CTP_REGISTRY_USER=$registry_user
export CTP_REGISTRY_PASSWORD_FILE=$state/registry/password
export CTP_BASE_IMAGE=$base_image
ENV
}

static_busybox() {
  local bb
  bb=$(command -v busybox || true)
  [ -n "$bb" ] && file -L "$bb" 2>/dev/null | grep -q 'statically linked'
}

# On a fresh machine everything below is missing: one apt-get call for all of it (each call reads
# the package lists and runs dpkg's triggers again).
install_missing() {
  local missing=()
  { command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1; } || missing+=(docker.io)
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  static_busybox || missing+=(busybox-static)
  { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; } || missing+=(docker-compose)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ ${#missing[@]} = 0 ] || apt_install "${missing[*]}" "${missing[*]}"
}

up() {
  mkdir -p "$state"
  install_missing
  ensure_docker
  ensure_registry
  ensure_base_image
  ensure_compose
  ensure_chromium
  print_env >"$state/stack.env"
  say "ready; environment in $state/stack.env"
  print_env
}

down() {
  if [ -f "$state/registry.pid" ]; then
    kill "$(cat "$state/registry.pid")" 2>/dev/null || true
    rm -f "$state/registry.pid"
    say "registry stopped"
  fi
  if [ -f "$state/dockerd.pid" ]; then
    kill "$(cat "$state/dockerd.pid")" 2>/dev/null || true
    rm -f "$state/dockerd.pid"
    say "dockerd (started by this script) stopped"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) [ -f "$state/stack.env" ] || die "the stack is not up: run 'bash local/stack.sh up'"; cat "$state/stack.env" ;;
  *) echo "usage: bash local/stack.sh up|down|env" >&2; exit 2 ;;
esac

import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A credential helper as docker/docker-credential-helpers defines the protocol, in a few lines
 * of sh: `docker-credential-<name> get|list|store|erase`, the request on stdin. It answers from
 * files in its directory and records every verb (and what `store` was given), so a test can
 * prove what was asked of it and that nothing was stored in it.
 */
export interface TestCredentialHelper {
  name: string;
  /** Put on PATH. */
  binDir: string;
  add(serverUrl: string, username: string, secret: string): void;
  /** Verbs called, in order, with the server URL for get/erase. */
  calls(): string[];
}

export function makeCredentialHelper(): TestCredentialHelper {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-cred-helper-'));
  const name = `ctptest${Math.random().toString(36).slice(2, 8)}`;
  const key = (url: string) => url.replace(/[^A-Za-z0-9]/g, '_');
  const script = `#!/bin/sh
dir='${dir}'
url=''
case "$1" in
  get|erase) read -r url || true ;;
  store) cat > "$dir/stored" ;;
esac
echo "$1 $url" >> "$dir/calls"
case "$1" in
  get)
    file="$dir/cred-$(printf '%s' "$url" | tr -c 'A-Za-z0-9' '_')"
    if [ -f "$file" ]; then cat "$file"; else echo 'credentials not found in native keychain'; exit 1; fi ;;
  list)
    printf '{'; sep=''
    for f in "$dir"/url-*; do [ -f "$f" ] || continue; printf '%s"%s":"u"' "$sep" "$(cat "$f")"; sep=','; done
    printf '}\\n' ;;
esac
`;
  const program = path.join(dir, `docker-credential-${name}`);
  writeFileSync(program, script);
  chmodSync(program, 0o755);
  return {
    name,
    binDir: dir,
    add(serverUrl, username, secret) {
      writeFileSync(path.join(dir, `cred-${key(serverUrl)}`), JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret }));
      writeFileSync(path.join(dir, `url-${key(serverUrl)}`), serverUrl);
    },
    calls: () => (existsSync(path.join(dir, 'calls')) ? readFileSync(path.join(dir, 'calls'), 'utf8').split('\n').filter(Boolean) : []),
  };
}

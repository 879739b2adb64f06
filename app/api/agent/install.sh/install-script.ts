/** Single-quoted for sh: the only character that needs care inside '...' is ' itself. */
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Loopback: plain http never leaves the machine, so nobody on a network can swap the download. */
export function isLoopbackOrigin(serverUrl: string): boolean {
  const host = new URL(serverUrl).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The installer `curl ... | sudo sh -s -- --token-file FILE` runs: fetch the agent for this
 * CPU from the server that served the script, check its sha256 against the one the server
 * publishes before running anything as root, install it, enroll (the token goes to the agent
 * through a file or stdin, never its command line; without a token, on a host already
 * enrolled, it only upgrades the executable), then keep it running under systemd, or print
 * the crontab line for `once` where there is no systemd. A plain http:// server that is not
 * this machine is refused unless --insecure-http says the risk is accepted.
 */
export function installScript(serverUrl: string): string {
  const plainHttpRemote = serverUrl.startsWith("http://") && !isLoopbackOrigin(serverUrl) ? 1 : 0;
  return `#!/bin/sh
# Infra-Watch agent installer, served by ${serverUrl}
#   F=$(mktemp) && echo ENROLLMENT_TOKEN > "$F" && curl -fsSL ${serverUrl}/api/agent/install.sh | sudo sh -s -- --token-file "$F"; rm -f "$F"
#   (or pass the token as IW_ENROLL_TOKEN in the environment; a bare TOKEN argument still works
#   but is visible to every local user in ps while this runs; without a token on a host that
#   is already enrolled it upgrades the executable and keeps the enrollment)
# --insecure-http   accept a plain http:// server that is not this machine
# IW_INSTALL_BIN installs elsewhere than /usr/local/bin (then root is not required);
# IW_CONFIG and IW_SPOOL are read by the agent itself.
set -eu

SERVER=${shQuote(serverUrl)}
PLAIN_HTTP_REMOTE=${plainHttpRemote}
BIN="\${IW_INSTALL_BIN:-/usr/local/bin/infra-watch-agent}"
UNIT=/etc/systemd/system/infra-watch-agent.service

fail() { echo "infra-watch install: $*" >&2; exit 1; }

TOKEN="\${IW_ENROLL_TOKEN:-}"
TOKEN_FILE=""
INSECURE_HTTP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --token-file) [ $# -ge 2 ] || fail "--token-file needs a file"; TOKEN_FILE="$2"; shift 2 ;;
    --token-file=*) TOKEN_FILE="\${1#--token-file=}"; shift ;;
    --insecure-http) INSECURE_HTTP=1; shift ;;
    -*) fail "unknown option $1 (--token-file FILE, --insecure-http)" ;;
    *) TOKEN="$1"; shift
       echo "infra-watch install: warning: a token given as an argument is visible to every local user (ps) while this runs; prefer --token-file FILE or IW_ENROLL_TOKEN" >&2 ;;
  esac
done

if [ "$PLAIN_HTTP_REMOTE" = 1 ] && [ "$INSECURE_HTTP" != 1 ]; then
  fail "refusing to install from $SERVER over plain http: anyone on the network path could replace the executable this script runs as root. Serve Infra-Watch over https, or pass --insecure-http to accept that risk"
fi
if [ -n "$TOKEN_FILE" ]; then
  [ -r "$TOKEN_FILE" ] || fail "cannot read the token file $TOKEN_FILE"
fi

CONFIG="\${IW_CONFIG:-/etc/infra-watch/agent.json}"
[ -n "$TOKEN" ] || [ -n "$TOKEN_FILE" ] || [ -f "$CONFIG" ] || fail "no enrollment token: run it as  sh -s -- --token-file FILE  or set IW_ENROLL_TOKEN"
[ "$(id -u)" = 0 ] || [ -n "\${IW_INSTALL_BIN:-}" ] || fail "run as root (sudo)"
[ "$(uname -s)" = Linux ] || fail "the agent runs on Linux only"

case "$(uname -m)" in
  x86_64 | amd64) ARCH=x64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) fail "unsupported CPU $(uname -m) (x86_64 and aarch64 are built)" ;;
esac

fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  else
    fail "no sha256sum, shasum or openssl here to verify the download with"
  fi
}

TMP="$(mktemp "\${TMPDIR:-/tmp}/infra-watch-agent.XXXXXX")"
trap 'rm -f "$TMP" "$TMP.sha256"' EXIT
URL="$SERVER/api/agent/download?arch=$ARCH"
fetch "$URL&sha256" "$TMP.sha256" || fail "cannot fetch the executable's checksum: $URL&sha256"
EXPECTED="$(cut -d' ' -f1 "$TMP.sha256")"
case "$EXPECTED" in
  "" | *[!0-9a-f]*) fail "the server sent no valid sha256 for the executable ($URL&sha256)" ;;
esac
[ \${#EXPECTED} -eq 64 ] || fail "the server sent no valid sha256 for the executable ($URL&sha256)"
echo "downloading $URL"
fetch "$URL" "$TMP" || fail "download failed: $URL"
ACTUAL="$(sha256_of "$TMP")"
[ "$ACTUAL" = "$EXPECTED" ] || fail "checksum mismatch for $URL: expected sha256 $EXPECTED, got $ACTUAL; not installing it"
chmod 0755 "$TMP"
"$TMP" --version >/dev/null 2>&1 || fail "the downloaded agent does not run on this host"
mkdir -p "$(dirname "$BIN")"
mv -f "$TMP" "$BIN"
trap - EXIT
rm -f "$TMP.sha256"
echo "installed $BIN $("$BIN" --version) (sha256 $ACTUAL)"

# The token reaches the agent through a file or its stdin (printf is a shell builtin): never argv.
if [ -n "$TOKEN_FILE" ]; then
  "$BIN" enroll --server "$SERVER" --token-file "$TOKEN_FILE"
elif [ -n "$TOKEN" ]; then
  printf '%s\\n' "$TOKEN" | "$BIN" enroll --server "$SERVER" --token-stdin
else
  echo "already enrolled ($CONFIG): upgraded the executable only"
fi

if [ "$(id -u)" = 0 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  cat >"$UNIT" <<UNIT
[Unit]
Description=Infra-Watch agent
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=$BIN run
Restart=always
RestartSec=5
NoNewPrivileges=yes
ProtectSystem=full
ProtectHome=read-only
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable infra-watch-agent >/dev/null 2>&1
  systemctl restart infra-watch-agent
  echo "infra-watch-agent is running (systemctl status infra-watch-agent)"
else
  echo "systemd is not running here; to report every minute add this line to root's crontab (crontab -e):"
  echo "* * * * * $BIN once"
fi
`;
}

/** Single-quoted for sh: the only character that needs care inside '...' is ' itself. */
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Loopback: plain http never leaves the machine, so nobody on a network can swap the download. */
export function isLoopbackOrigin(serverUrl: string): boolean {
  const host = new URL(serverUrl).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The installer `curl ... | sudo sh -s -- --token-file FILE` runs: fetch the signed release statement
 * for this CPU and check its ed25519 signature against the server's release key (written into
 * this script), download the executable and check it against the sha256 that statement names,
 * all before running anything as root; install it, enroll (the token reaches the agent through
 * its stdin or a file, never a command line), then keep it running under systemd with
 * --auto-update, or print the crontab line for `once` where there is no systemd. A plain http://
 * server that is not this machine is refused unless --insecure says the risk is accepted.
 * `--uninstall` stops and removes the unit and the executable; with `--purge` also the config and
 * the spool.
 *
 * For tests (and unusual layouts): IW_INSTALL_ROOT prefixes every system path (/usr/local/bin,
 * /etc, /var/lib, /run/systemd) and lifts the root requirement, IW_SYSTEMCTL names the systemctl
 * to call.
 */
export function installScript(serverUrl: string, signingKeyPem: string): string {
  const plainHttpRemote = serverUrl.startsWith("http://") && !isLoopbackOrigin(serverUrl) ? 1 : 0;
  return `#!/bin/sh
# Infra-Watch agent installer, served by ${serverUrl}
#   F=$(mktemp) && echo ENROLLMENT_TOKEN > "$F" && curl -fsSL ${serverUrl}/api/agent/install.sh | sudo sh -s -- --token-file "$F"; rm -f "$F"
#   or: curl -fsSL -o install.sh ${serverUrl}/api/agent/install.sh && sudo sh install.sh --token-stdin < token-file
#   or with IW_ENROLL_TOKEN in the (root) environment. Never as an argument: every local user
#   sees arguments in ps (sudo VAR=value puts it in sudo's arguments too).
#   Without a token on a host that is already enrolled it upgrades the executable only.
# --label KEY=VALUE a label for this host (repeatable), saved in the agent's config at enrollment
# --insecure        accept a plain http:// server that is not this machine
# --uninstall       stop and remove the service and the executable; --purge: also config and spool
# IW_INSTALL_BIN installs elsewhere than /usr/local/bin (then root is not required);
# IW_CONFIG and IW_SPOOL are read by the agent itself.
set -eu

SERVER=${shQuote(serverUrl)}
PLAIN_HTTP_REMOTE=${plainHttpRemote}
# The server's release key: the executable must come with a release statement it signed.
RELEASE_KEY=${shQuote(signingKeyPem.trim())}

ROOT="\${IW_INSTALL_ROOT:-}"
SYSTEMCTL="\${IW_SYSTEMCTL:-systemctl}"
BIN="\${IW_INSTALL_BIN:-$ROOT/usr/local/bin/infra-watch-agent}"
UNIT="$ROOT/etc/systemd/system/infra-watch-agent.service"
CONFIG="\${IW_CONFIG:-$ROOT/etc/infra-watch/agent.json}"
SPOOL="\${IW_SPOOL:-$ROOT/var/lib/infra-watch/spool}"
export IW_CONFIG="$CONFIG" IW_SPOOL="$SPOOL"

fail() { echo "infra-watch install: $*" >&2; exit 1; }

TOKEN="\${IW_ENROLL_TOKEN:-}"
TOKEN_FILE=""
TOKEN_STDIN=0
INSECURE_HTTP=0
UNINSTALL=0
PURGE=0
# Each "--label KEY=VALUE", checked here for characters that are safe unquoted; the agent checks the rules.
LABEL_ARGS=""
add_label() {
  case "$1" in
    "" | *[!A-Za-z0-9_./=-]*) fail "--label: '$1' must be KEY=VALUE with keys a-z 0-9 _ . - / and values A-Z a-z 0-9 _ . -" ;;
  esac
  LABEL_ARGS="$LABEL_ARGS --label $1"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --token-file) [ $# -ge 2 ] || fail "--token-file needs a file"; TOKEN_FILE="$2"; shift 2 ;;
    --token-file=*) TOKEN_FILE="\${1#--token-file=}"; shift ;;
    --token-stdin) TOKEN_STDIN=1; shift ;;
    --label) [ $# -ge 2 ] || fail "--label needs KEY=VALUE"; add_label "$2"; shift 2 ;;
    --label=*) add_label "\${1#--label=}"; shift ;;
    --insecure | --insecure-http) INSECURE_HTTP=1; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    --purge) UNINSTALL=1; PURGE=1; shift ;;
    -*) fail "unknown option $1 (--token-stdin, --token-file FILE, --label KEY=VALUE, --insecure, --uninstall, --purge)" ;;
    *) fail "refusing a token on the command line: every local user can read it (ps). Pass it as IW_ENROLL_TOKEN, on stdin with --token-stdin, or with --token-file FILE" ;;
  esac
done

systemd_here() { [ -d "$ROOT/run/systemd/system" ] && command -v "$SYSTEMCTL" >/dev/null 2>&1; }

if [ "$UNINSTALL" = 1 ]; then
  if systemd_here && [ -f "$UNIT" ]; then
    "$SYSTEMCTL" stop infra-watch-agent || true
    "$SYSTEMCTL" disable infra-watch-agent >/dev/null 2>&1 || true
    rm -f "$UNIT"
    "$SYSTEMCTL" daemon-reload
    echo "stopped and removed the infra-watch-agent service"
  fi
  rm -f "$BIN"
  echo "removed $BIN"
  if [ "$PURGE" = 1 ]; then
    case "$SPOOL" in "" | / | "$ROOT" | "$ROOT/") fail "refusing to purge the spool directory '$SPOOL'" ;; esac
    rm -f "$CONFIG" "$CONFIG.pending.json"
    rm -rf "$SPOOL"
    rmdir "$(dirname "$CONFIG")" "$(dirname "$SPOOL")" 2>/dev/null || true
    echo "removed the config $CONFIG and the spool $SPOOL"
  else
    echo "kept the config $CONFIG and the spool $SPOOL (--purge removes them)"
  fi
  systemd_here || echo "if root's crontab runs '$BIN once', remove that line (crontab -e)"
  exit 0
fi

if [ "$PLAIN_HTTP_REMOTE" = 1 ] && [ "$INSECURE_HTTP" != 1 ]; then
  fail "refusing to install from $SERVER over plain http: anyone on the network path could replace the executable this script runs as root. Serve Infra-Watch over https, or pass --insecure to accept that risk"
fi
if [ "$TOKEN_STDIN" = 1 ]; then
  IFS= read -r TOKEN || [ -n "$TOKEN" ] || fail "--token-stdin: no token on stdin"
fi
if [ -n "$TOKEN_FILE" ]; then
  [ -r "$TOKEN_FILE" ] || fail "cannot read the token file $TOKEN_FILE"
fi

[ -n "$TOKEN" ] || [ -n "$TOKEN_FILE" ] || [ -f "$CONFIG" ] || fail "no enrollment token: pass it as IW_ENROLL_TOKEN, with --token-stdin, or with --token-file FILE"
[ -z "$LABEL_ARGS" ] || [ -n "$TOKEN" ] || [ -n "$TOKEN_FILE" ] || fail "--label is saved at enrollment: give an enrollment token too, or edit 'labels' in $CONFIG (or on the host's page)"
[ "$(id -u)" = 0 ] || [ -n "$ROOT" ] || [ -n "\${IW_INSTALL_BIN:-}" ] || fail "run as root (sudo)"
[ "$(uname -s)" = Linux ] || fail "the agent runs on Linux only"
command -v openssl >/dev/null 2>&1 || fail "openssl is needed to verify the agent's signature (apt-get install openssl, dnf install openssl, apk add openssl)"

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

TMP="$(mktemp "\${TMPDIR:-/tmp}/infra-watch-agent.XXXXXX")"
trap 'rm -f "$TMP" "$TMP.gz" "$TMP.release" "$TMP.sig" "$TMP.sig.bin" "$TMP.key"' EXIT
URL="$SERVER/api/agent/download?arch=$ARCH"
fetch "$URL&release" "$TMP.release" || fail "cannot fetch the signed release statement: $URL&release"
fetch "$URL&signature" "$TMP.sig" || fail "cannot fetch the release signature: $URL&signature"
printf '%s\\n' "$RELEASE_KEY" >"$TMP.key"
openssl base64 -d -A -in "$TMP.sig" -out "$TMP.sig.bin" 2>/dev/null || fail "the release signature from $URL&signature is not base64"
openssl pkeyutl -verify -pubin -inkey "$TMP.key" -rawin -in "$TMP.release" -sigfile "$TMP.sig.bin" >/dev/null 2>&1 ||
  fail "the release statement's signature does not verify against the server's release key; not installing"
read -r R_NAME R_VERSION R_PLATFORM R_SHA <"$TMP.release" || true
[ "$R_NAME" = infra-watch-agent ] && [ "$R_PLATFORM" = "linux-$ARCH" ] || fail "the signed release statement is not for linux-$ARCH"
EXPECTED="\${R_SHA#sha256:}"
case "$EXPECTED" in
  "" | *[!0-9a-f]*) fail "the signed release statement names no valid sha256" ;;
esac
[ \${#EXPECTED} -eq 64 ] || fail "the signed release statement names no valid sha256"
echo "downloading $URL (infra-watch-agent $R_VERSION, signature verified)"
# The gzip artifact is a third of the bytes; without gzip here (or on the server) the plain one.
if command -v gzip >/dev/null 2>&1 && fetch "$URL&gz" "$TMP.gz" 2>/dev/null; then
  gzip -dc <"$TMP.gz" >"$TMP" || fail "cannot unpack $URL&gz"
  rm -f "$TMP.gz"
else
  rm -f "$TMP.gz"
  fetch "$URL" "$TMP" || fail "download failed: $URL"
fi
ACTUAL="$(openssl dgst -sha256 -r "$TMP" | cut -d' ' -f1)"
[ "$ACTUAL" = "$EXPECTED" ] || fail "checksum mismatch for $URL: expected sha256 $EXPECTED, got $ACTUAL; not installing it"
chmod 0755 "$TMP"
[ "$("$TMP" --version 2>/dev/null)" = "$R_VERSION" ] || fail "the downloaded agent does not run on this host (or is not version $R_VERSION)"
mkdir -p "$(dirname "$BIN")"
mv -f "$TMP" "$BIN"
trap - EXIT
rm -f "$TMP.release" "$TMP.sig" "$TMP.sig.bin" "$TMP.key"
echo "installed $BIN $("$BIN" --version) (sha256 $ACTUAL)"

# The token reaches the agent through a file or its stdin (printf is a shell builtin): never argv.
# $LABEL_ARGS unquoted on purpose: one word per flag and value, checked above to hold no spaces or globs.
if [ -n "$TOKEN_FILE" ]; then
  # shellcheck disable=SC2086
  "$BIN" enroll --server "$SERVER" --token-file "$TOKEN_FILE" $LABEL_ARGS
elif [ -n "$TOKEN" ]; then
  # shellcheck disable=SC2086
  printf '%s\\n' "$TOKEN" | "$BIN" enroll --server "$SERVER" --token-stdin $LABEL_ARGS
else
  echo "already enrolled ($CONFIG): upgraded the executable only"
fi

if { [ "$(id -u)" = 0 ] || [ -n "$ROOT" ]; } && systemd_here; then
  mkdir -p "$(dirname "$UNIT")"
  # --auto-update: the agent replaces its own executable (hence ReadWritePaths for its directory
  # under ProtectSystem) and exits; Restart=always starts the new version.
  cat >"$UNIT" <<UNIT
[Unit]
Description=Infra-Watch agent
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=$BIN run --auto-update --config $CONFIG --spool $SPOOL
Restart=always
RestartSec=5
NoNewPrivileges=yes
ProtectSystem=full
ReadWritePaths=$(dirname "$BIN")
ProtectHome=read-only
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
UNIT
  "$SYSTEMCTL" daemon-reload
  "$SYSTEMCTL" enable infra-watch-agent >/dev/null 2>&1
  "$SYSTEMCTL" restart infra-watch-agent
  echo "infra-watch-agent is running with --auto-update (systemctl status infra-watch-agent)"
else
  echo "systemd is not running here; to report every minute add this line to root's crontab (crontab -e):"
  echo "* * * * * $BIN once --config $CONFIG --spool $SPOOL"
fi
`;
}

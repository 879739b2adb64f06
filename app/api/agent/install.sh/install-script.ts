/** Single-quoted for sh: the only character that needs care inside '...' is ' itself. */
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The installer `curl ... | sudo sh -s -- TOKEN` runs: fetch the agent for this CPU from the
 * server that served the script, install it, enroll with the token (without one, on a host
 * already enrolled, it only upgrades the executable), then keep it running
 * under systemd, or print the crontab line for `once` where there is no systemd.
 */
export function installScript(serverUrl: string): string {
  return `#!/bin/sh
# Infra-Watch agent installer, served by ${serverUrl}
#   curl -fsSL ${serverUrl}/api/agent/install.sh | sudo sh -s -- ENROLLMENT_TOKEN
#   (or pass the token as IW_ENROLL_TOKEN in the environment; without a token on a host that
#   is already enrolled it upgrades the executable and keeps the enrollment)
# IW_INSTALL_BIN installs elsewhere than /usr/local/bin (then root is not required);
# IW_CONFIG and IW_SPOOL are read by the agent itself.
set -eu

SERVER=${shQuote(serverUrl)}
TOKEN="\${1:-\${IW_ENROLL_TOKEN:-}}"
BIN="\${IW_INSTALL_BIN:-/usr/local/bin/infra-watch-agent}"
UNIT=/etc/systemd/system/infra-watch-agent.service

fail() { echo "infra-watch install: $*" >&2; exit 1; }

CONFIG="\${IW_CONFIG:-/etc/infra-watch/agent.json}"
[ -n "$TOKEN" ] || [ -f "$CONFIG" ] || fail "no enrollment token: run it as  sh -s -- TOKEN  or set IW_ENROLL_TOKEN"
[ "$(id -u)" = 0 ] || [ -n "\${IW_INSTALL_BIN:-}" ] || fail "run as root (sudo)"
[ "$(uname -s)" = Linux ] || fail "the agent runs on Linux only"

case "$(uname -m)" in
  x86_64 | amd64) ARCH=x64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) fail "unsupported CPU $(uname -m) (x86_64 and aarch64 are built)" ;;
esac

TMP="$(mktemp "\${TMPDIR:-/tmp}/infra-watch-agent.XXXXXX")"
trap 'rm -f "$TMP"' EXIT
URL="$SERVER/api/agent/download?arch=$ARCH"
echo "downloading $URL"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL -o "$TMP" "$URL" || fail "download failed: $URL"
elif command -v wget >/dev/null 2>&1; then
  wget -q -O "$TMP" "$URL" || fail "download failed: $URL"
else
  fail "neither curl nor wget is installed"
fi
chmod 0755 "$TMP"
"$TMP" --version >/dev/null 2>&1 || fail "the downloaded agent does not run on this host"
mkdir -p "$(dirname "$BIN")"
mv -f "$TMP" "$BIN"
trap - EXIT
echo "installed $BIN $("$BIN" --version)"

if [ -n "$TOKEN" ]; then
  "$BIN" enroll --server "$SERVER" --token "$TOKEN"
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

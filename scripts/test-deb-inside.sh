#!/bin/bash
# Runs inside the clean Debian 12 chroot of scripts/test-deb.sh (as root, PID namespace
# of its own). VERSION is the packages' version, PORTS three free loopback ports.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
read -r public_port staff_port onion_port <<<"$PORTS"
step() { echo "test-deb: $*"; }
fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }
mode() { stat -c '%a %U %G' "$1"; }
daemons() { for comm in /proc/[0-9]*/comm; do [ "$(cat "$comm" 2>/dev/null)" = sealboxd ] && echo "${comm%/comm}"; done; true; }

step "apt-get install ./sealbox_${VERSION}_*.deb ./sealboxd_${VERSION}_*.deb"
apt-get update -qq
apt-get install -y -qq --no-install-recommends curl >/dev/null
apt-get install -y -qq --no-install-recommends /debs/sealbox_"$VERSION"_*.deb /debs/sealboxd_"$VERSION"_*.deb >/tmp/apt.log \
    || { cat /tmp/apt.log; fail "apt-get install"; }
for library in libsodium23 libsqlite3-0; do
    dpkg -s "$library" >/dev/null 2>&1 || fail "apt did not install $library"
done
[ "$(dpkg-query -W -f '${Version}' sealboxd)" = "$VERSION" ] || fail "installed version"

step "the system user, its folders, the configuration"
getent passwd sealbox | grep -q ':/var/lib/sealbox:/usr/sbin/nologin$' || fail "user sealbox: $(getent passwd sealbox)"
[ "$(mode /var/lib/sealbox)" = "700 sealbox sealbox" ] || fail "/var/lib/sealbox is $(mode /var/lib/sealbox)"
[ "$(mode /var/backups/sealbox)" = "700 sealbox sealbox" ] || fail "/var/backups/sealbox is $(mode /var/backups/sealbox)"
[ "$(mode /etc/sealbox/sealboxd.json)" = "640 root sealbox" ] || fail "sealboxd.json is $(mode /etc/sealbox/sealboxd.json)"
[ -z "$(daemons)" ] || fail "installing started sealboxd"
ldd /usr/bin/sealboxd /usr/bin/sealbox | grep -q "not found" && fail "a library is missing: $(ldd /usr/bin/sealboxd)"
ldd /usr/bin/sealboxd /usr/bin/sealbox | grep -qi swift && fail "a Swift runtime library is linked"
for page in sealboxd sealboxd.backup sealbox sealbox.keygen sealbox.sync; do
    [ -s "/usr/share/man/man1/$page.1.gz" ] || fail "no man page $page.1.gz: $(ls /usr/share/man/man1 | grep sealbox)"
done
for tool in sealboxd sealbox; do
    [ -s "/usr/share/bash-completion/completions/$tool" ] && [ -s "/usr/share/zsh/vendor-completions/_$tool" ] \
        && [ -s "/usr/share/fish/vendor_completions.d/$tool.fish" ] || fail "completions of $tool"
done
unit=/lib/systemd/system/sealboxd.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -x "${exec_start%% *}" ] || fail "the unit's ExecStart names ${exec_start%% *}"
for file in /lib/systemd/system/sealboxd-backup.service /lib/systemd/system/sealboxd-backup.timer \
            /usr/lib/sysusers.d/sealbox.conf /usr/lib/tmpfiles.d/sealbox.conf /usr/share/doc/sealboxd/OPERATIONS.md; do
    [ -s "$file" ] || fail "$file is missing"
done

step "keys on a fresh account (sealbox keygen creates ~/.config/sealbox, mode 0700)"
printf 'korrekt Pferd Batterie Heftklammer\n' > /root/passphrase
chmod 0600 /root/passphrase
team=$(sealbox keygen --team --out ~/.config/sealbox/team.key --passphrase-file /root/passphrase --kdf-cost interactive | tail -n 1)
staff=$(sealbox staff-keygen --out ~/.config/sealbox/staff.key --passphrase-file /root/passphrase --kdf-cost interactive | tail -n 1)
[ "$(stat -c %a ~/.config/sealbox)" = 700 ] && [ "$(stat -c %a ~/.config/sealbox/team.key)" = 600 ] || fail "key folder modes"

step "the administrator edits /etc/sealbox/sealboxd.json"
sed -i -e "s|sealbox-team-v1:REPLACE-WITH-THE-LAST-LINE-OF-sealbox-keygen|$team|" \
       -e "s|sealbox-staff-v1:REPLACE-WITH-THE-LAST-LINE-OF-sealbox-staff-keygen|$staff|" \
       -e "s|127.0.0.1:8080|127.0.0.1:$public_port|" -e "s|127.0.0.1:8081|127.0.0.1:$staff_port|" \
       -e "s|127.0.0.1:8082|127.0.0.1:$onion_port|" /etc/sealbox/sealboxd.json
grep -q REPLACE /etc/sealbox/sealboxd.json && fail "placeholders left"
[ "$(mode /etc/sealbox/sealboxd.json)" = "640 root sealbox" ] || fail "sed changed the configuration's mode"

step "start the daemon as sealbox with the unit's ExecStart (no systemd as PID 1 here)"
environment=$(sed -n 's/^Environment=//p' "$unit")
cd /
# shellcheck disable=SC2086 # ExecStart is split into words, as systemd does
setpriv --reuid sealbox --regid sealbox --init-groups --no-new-privs -- \
    env -i PATH=/usr/bin:/bin $environment /bin/sh -c "umask 0077; exec $exec_start" >/tmp/sealboxd.log 2>&1 &
daemon=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$public_port/healthz" >/dev/null 2>&1 && break
    kill -0 "$daemon" 2>/dev/null || { cat /tmp/sealboxd.log; fail "sealboxd exited"; }
    sleep 0.2
done
[ "$(curl -fsS "http://127.0.0.1:$public_port/healthz")" = ok ] || { cat /tmp/sealboxd.log; fail "healthz"; }
[ "$(mode /var/lib/sealbox/pepper)" = "600 sealbox sealbox" ] || fail "pepper is $(mode /var/lib/sealbox/pepper)"

step "a report over loopback, read back with the CLI"
answer=$(curl -fsS -H 'Content-Type: application/json' \
    --data '{"text":"Testmeldung aus dem Debian-Paket, Umlaute: äöü"}' "http://127.0.0.1:$public_port/api/v1/reports")
case_ref=$(sed -n 's/.*"case" *: *"\([^"]*\)".*/\1/p' <<<"$answer")
[ -n "$case_ref" ] || fail "no case in $answer"
export SEALBOX_SERVER="http://127.0.0.1:$staff_port" SEALBOX_TEAM_KEY=~/.config/sealbox/team.key \
    SEALBOX_STAFF_KEY=~/.config/sealbox/staff.key SEALBOX_PASSPHRASE_FILE=/root/passphrase
sealbox sync >/tmp/sync.log 2>&1 || { cat /tmp/sync.log; fail "sealbox sync"; }
sealbox show "$case_ref" > /tmp/show.txt 2>&1 || { cat /tmp/show.txt; fail "sealbox show"; }
grep -q "Testmeldung aus dem Debian-Paket, Umlaute: äöü" /tmp/show.txt || { cat /tmp/show.txt; fail "the report did not read back"; }

step "a backup with the backup unit's ExecStart"
backup_unit=/lib/systemd/system/sealboxd-backup.service
backup_start=$(sed -n 's/^ExecStart=//p' "$backup_unit")
# shellcheck disable=SC2086
setpriv --reuid sealbox --regid sealbox --init-groups --no-new-privs -- /bin/sh -c "umask 0077; exec $backup_start" \
    > /tmp/backup.log 2>&1 || { cat /tmp/backup.log; fail "sealboxd backup"; }
backup=/var/backups/sealbox/sealbox-$(date -u +%F).sqlite
[ "$(mode "$backup")" = "600 sealbox sealbox" ] || fail "backup is $(mode "$backup")"
keystore_backup=/var/backups/sealbox/sealbox-$(date -u +%F).keystore.sqlite
[ "$(mode "$keystore_backup")" = "600 sealbox sealbox" ] || fail "key-store backup is $(mode "$keystore_backup")"
cat /tmp/backup.log

kill -TERM "$daemon"
wait "$daemon" || { cat /tmp/sealboxd.log; fail "sealboxd did not exit 0 on SIGTERM"; }

step "apt-get remove: binaries gone, configuration and data kept"
apt-get remove -y -qq sealboxd sealbox >/dev/null
[ ! -e /usr/bin/sealboxd ] && [ ! -e /usr/bin/sealbox ] && [ ! -e "$unit" ] || fail "files left after remove"
[ -f /etc/sealbox/sealboxd.json ] && [ -f /var/lib/sealbox/sealbox.sqlite ] || fail "remove took the configuration or data"

dpkg -l sealbox 2>/dev/null | grep -q '^[ir]' && fail "sealbox (no conffiles) is still listed after remove"
dpkg -l sealboxd | grep -q '^rc' || fail "sealboxd is not left with its configuration: $(dpkg -l sealboxd | tail -1)"

step "apt-get purge: configuration gone, data kept"
apt-get purge -y -qq sealboxd > /tmp/purge.log
cat /tmp/purge.log
[ ! -e /etc/sealbox ] || fail "/etc/sealbox left after purge: $(ls -la /etc/sealbox)"
[ -f /var/lib/sealbox/sealbox.sqlite ] && [ -f /var/lib/sealbox/pepper ] && [ -f "$backup" ] || fail "purge took the data"
dpkg-statoverride --list /etc/sealbox/sealboxd.json >/dev/null 2>&1 && fail "statoverride left"
dpkg -l sealboxd sealbox 2>/dev/null | grep -q '^[ir]i' && fail "packages still listed"

step "apt-get purge with SEALBOX_PURGE_DATA=yes removes the data"
apt-get install -y -qq --no-install-recommends /debs/sealboxd_"$VERSION"_*.deb >/dev/null
[ -f /var/lib/sealbox/sealbox.sqlite ] || fail "reinstalling lost the data"
SEALBOX_PURGE_DATA=yes apt-get purge -y -qq sealboxd >/dev/null
[ ! -e /var/lib/sealbox ] && [ ! -e /var/backups/sealbox ] || fail "SEALBOX_PURGE_DATA=yes kept the data"
step "all checks passed"

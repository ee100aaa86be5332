# `besrig triage` on real saved logs: table and JSON agree with the corpora,
# lost /dev/kmsg records are reported, bad files are clear errors.
. "$(dirname "$0")/harness.sh"

corpora="$BESRIG_SRC/../shared/corpora/kernel-logs"
[ -d "$corpora" ] || skip "no kernel-log corpora at $corpora"

run_besrig triage "$corpora/syzkaller/755.txt" "$corpora/logspec/linux_boot_005.log"
expect_status 0
expect_out "WARNING in ext4_xattr_inode_update_ref"
expect_out "WARNING in apply_returns"
expect_out "BUG: unable to handle kernel paging request in"
expect_out "linux_boot_005.log: 9689 lines"

run_besrig triage --json "$corpora/syzkaller/538.txt"
expect_status 0
python3 - "$work/out" <<'PY' || fail "JSON does not hold the soft lockup: $out"
import json, sys
doc = json.load(open(sys.argv[1]))
sig = doc[0]["signatures"][0]
assert sig["title"] == "BUG: soft lockup in ieee80211_tasklet_handler", sig
assert sig["class"] == "SOFT_LOCKUP" and sig["count"] == 1 and len(sig["fingerprint"]) == 64
assert sig["panicked"] is True
PY

# A /dev/kmsg dump with a hole in its sequence numbers, and non-UTF-8 bytes.
printf '4,10,1000,-;bes2600: link break between lmac and host \377\n4,11,1100,-;x\n4,15,1200,-;y\n' > "$work/kmsg.txt"
run_besrig triage --json "$work/kmsg.txt"
expect_status 0
python3 - "$work/out" <<'PY' || fail "gap or report missing: $out"
import json, sys
doc = json.load(open(sys.argv[1]))[0]
assert doc["lost_records"] == 3, doc
assert doc["gaps"][0] == {"kind": "lost", "first_missing": 12, "count": 3, "line": 3}, doc["gaps"]
assert doc["signatures"][0]["title"] == "bes2600: link break between lmac and host"
PY
run_besrig triage "$work/kmsg.txt"
expect_out "3 records lost in 1 gaps"

run_besrig triage "$work/missing.log"
expect_status 2
expect_err "cannot read $work/missing.log"

run_besrig triage
expect_status 2

import os, shutil, subprocess, sys
SIM='/work/wt-driver/driver/sim'
P='/work/wt-driver/driver/patches'
def tree(d): 
    return {f: open(os.path.join(d,f)).read() for f in sorted(os.listdir(d)) if os.path.isfile(os.path.join(d,f))}
def rep(t, f, old, new):
    assert old in t[f], (f, old[:60])
    t[f] = t[f].replace(old, new, 1)
def write_patch(before, after, out, header):
    shutil.rmtree('/tmp/pw/a', True); shutil.rmtree('/tmp/pw/b', True)
    for d,t in (('a',before),('b',after)):
        os.makedirs('/tmp/pw/'+d)
        for f,c in t.items(): open(f'/tmp/pw/{d}/{f}','w').write(c)
    r = subprocess.run(['diff','-ruN','a','b'], cwd='/tmp/pw', capture_output=True, text=True)
    body = '\n'.join(l for l in r.stdout.split('\n'))
    # strip timestamps for reproducible patches
    lines=[]
    for l in body.split('\n'):
        if l.startswith('--- ') or l.startswith('+++ '):
            l = l.split('\t')[0]
        if l.startswith('diff -ruN'): continue
        lines.append(l)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    open(out,'w').write(header.rstrip()+'\n---\n'+'\n'.join(lines))
base = tree(SIM)

# ---------- c: direct deliver, plain ints ----------
def direct_deliver(t, variant_from, variant_to):
    rep(t,'sdio.c',"""	struct sk_buff *skb;

	atomic64_inc(&hw_priv->st.sdio_rx_runs);
	while (!bes2600_stopping(hw_priv) &&
	       (skb = bes2600_fw_read(hw_priv))) {
		/*
		 * Confirms are processed in the bh context, the only context
		 * allowed to touch the buffer counters (see wsm.c).
		 */
		bes2600_bh_queue_rx(hw_priv, skb);
	}
}""","""	struct sk_buff *skb;
	int n = 0;

	atomic64_inc(&hw_priv->st.sdio_rx_runs);
	while (!bes2600_stopping(hw_priv) &&
	       (skb = bes2600_fw_read(hw_priv))) {
		/*
		 * Direct deliver: handle the confirm / received frame right
		 * here instead of bouncing it through bh.  Saves the bh
		 * wake-up and register read per batch.
		 */
		bes2600_bh_handle_rx_skb(hw_priv, skb);
		n++;
	}
	/* Buffers came back: let bh feed the chip again. */
	if (n)
		bes2600_bh_wakeup(hw_priv);
}""")
    rep(t,'bh.c',""" * bh is the one context that owns the buffer counters in the baseline:
 *  - it processes the confirms and received frames sdio_rx_work read from
 *    the chip (after the modeled bh wake-up / register read bounce,
 *    bh_rx_bounce_us), returning their buffers (wsm_release_tx_buffer);
 *  - it grants""",""" * Confirms and received frames are handled where they are read from the
 * chip: sdio_rx_work calls bes2600_bh_handle_rx_skb() directly (no bounce
 * through bh), which returns their buffers (wsm_release_tx_buffer).
 * bh:
 *  - grants""")
    rep(t,'bes2600.h','#define BES2600_SIM_VARIANT\t"%s"'%variant_from,'#define BES2600_SIM_VARIANT\t"%s"'%variant_to)

c = dict(base)
direct_deliver(c,'b','c')
rep(c,'bh.c',""" * Shared state touched: hw_bufs_used, hw_bufs_used_vif[if_id],
 * wsm_tx_pending[if_id] (bh-only in the baseline), last_confirm, stats.
 */""",""" * Contract: called from sdio_rx_work (process context, may sleep, no
 * locks held); wsm_release_tx_buffer() takes no locks and does not sleep,
 * so it is safe to call from there.
 */""")
write_patch(base, c, P+'/c/0001-bes2600-deliver-rx-confirms-directly-from-sdio_rx_work.patch', """From: besrig driver sim <besrig@localhost>
Subject: [PATCH c] bes2600: deliver rx confirms directly from sdio_rx_work

Patch C of the story: bes2600_bh_handle_rx_skb() is called straight from
sdio_rx_work instead of bouncing every confirm through bes2600_bh_work.
That saves a bh wake-up per confirm batch.

The contract analysis stopped at the callee's signature (no sleep, no
locks): wsm_release_tx_buffer() now does its unlocked read-modify-write of
hw_bufs_used in sdio_rx_work while bes2600_bh_work increments the same
counter in wsm_alloc_tx_buffer().  This is the broken build.
""")

# ---------- c-prep: atomic_t, NFC ----------
prep = dict(base)
rep(prep,'bes2600.h',"""	int hw_bufs_used;
	int hw_bufs_used_vif[BES2600_MAX_VIFS];
	int wsm_tx_pending[BES2600_MAX_VIFS];""","""	atomic_t hw_bufs_used;
	atomic_t hw_bufs_used_vif[BES2600_MAX_VIFS];
	atomic_t wsm_tx_pending[BES2600_MAX_VIFS];""")
rep(prep,'bes2600.h','#include <linux/version.h>','#include <linux/version.h>\n#include <linux/atomic.h>')
rep(prep,'bes2600.h','#define BES2600_SIM_VARIANT\t"b"','#define BES2600_SIM_VARIANT\t"c-prep"')
rep(prep,'wsm.c',""" * Contract (baseline): every function in this file runs in the
 * bes2600_bh_work context only.  That single-context rule is the only thing
 * protecting these plain ints; nothing else may touch them.
 */""",""" * Contract: the counters are atomic_t.  Increments happen in
 * bes2600_bh_work only (so the "below numInpChBufs" check and the increment
 * cannot be overtaken by another increment); decrements may come from any
 * context.  wsm_release_tx_buffer() uses a fetch-sub with release ordering
 * so that everything done with the buffer happens-before a reader that
 * observes the new count with acquire ordering (bh's idle predicate).
 */""")
rep(prep,'wsm.c',"""	if (hw_priv->hw_bufs_used >= hw_priv->wsm_caps.numInpChBufs)
		return -EBUSY;
	++hw_priv->hw_bufs_used;
	++hw_priv->hw_bufs_used_vif[if_id];
	return 0;""","""	if (atomic_read(&hw_priv->hw_bufs_used) >= hw_priv->wsm_caps.numInpChBufs)
		return -EBUSY;
	atomic_inc(&hw_priv->hw_bufs_used);
	atomic_inc(&hw_priv->hw_bufs_used_vif[if_id]);
	return 0;""")
rep(prep,'wsm.c',"""	int ret = 0;
	int hw_bufs_used = hw_priv->hw_bufs_used;

	wsm_confirm_parse_delay();
	hw_priv->hw_bufs_used = hw_bufs_used - count;

	if (WARN_ON(hw_priv->hw_bufs_used < 0)) {""","""	int ret = 0;
	int hw_bufs_used;

	wsm_confirm_parse_delay();
	/* Returns the prior value, for the numInpChBufs - 1 predicate. */
	hw_bufs_used = atomic_fetch_sub_release(count, &hw_priv->hw_bufs_used);

	if (WARN_ON(hw_bufs_used - count < 0)) {""")
rep(prep,'wsm.c',"""	if (!hw_priv->hw_bufs_used)
		wake_up(&hw_priv->bh_evt_wq);""","""	if (hw_bufs_used == count)
		wake_up(&hw_priv->bh_evt_wq);""")
rep(prep,'wsm.c',"""	hw_priv->hw_bufs_used_vif[if_id] -= count;
	if (WARN_ON(hw_priv->hw_bufs_used_vif[if_id] < 0)) {""","""	if (WARN_ON(atomic_sub_return_release(count,
					      &hw_priv->hw_bufs_used_vif[if_id]) < 0)) {""")
rep(prep,'wsm.c',"""	hw_priv->wsm_tx_pending[if_id]++;""","""	atomic_inc(&hw_priv->wsm_tx_pending[if_id]);""")
rep(prep,'wsm.c',"""	hw_priv->wsm_tx_pending[if_id]--;""","""	atomic_dec(&hw_priv->wsm_tx_pending[if_id]);""")
rep(prep,'wsm.c',"""	return READ_ONCE(hw_priv->hw_bufs_used);""","""	return atomic_read_acquire(&hw_priv->hw_bufs_used);""")
rep(prep,'wsm.c',"""	return READ_ONCE(hw_priv->hw_bufs_used_vif[if_id]);""","""	return atomic_read_acquire(&hw_priv->hw_bufs_used_vif[if_id]);""")
rep(prep,'wsm.c',"""	return READ_ONCE(hw_priv->wsm_tx_pending[if_id]);""","""	return atomic_read(&hw_priv->wsm_tx_pending[if_id]);""")
prep_hdr = """From: besrig driver sim <besrig@localhost>
Subject: [PATCH c-prep] bes2600: convert buffer counters to atomic_t (NFC)

Patch C-prep: hw_bufs_used, hw_bufs_used_vif[] and wsm_tx_pending[] become
atomic_t.  wsm_release_tx_buffer() uses atomic_fetch_sub_release() and keeps
the prior value for its numInpChBufs - 1 predicate; readers use
atomic_read_acquire().  Every counter is still touched from bh only, so
there is no functional change: Phase 7 must show zero throughput delta
against the baseline (Patch B).
"""
write_patch(base, prep, P+'/c-prep/0001-bes2600-convert-buffer-counters-to-atomic_t.patch', prep_hdr)
write_patch(base, prep, P+'/c-v2/0001-bes2600-convert-buffer-counters-to-atomic_t.patch', prep_hdr)

v2 = dict(prep)
direct_deliver(v2,'c-prep','c-v2')
rep(v2,'bh.c',""" * Shared state touched: hw_bufs_used, hw_bufs_used_vif[if_id],
 * wsm_tx_pending[if_id] (bh-only in the baseline), last_confirm, stats.
 */""",""" * Called from sdio_rx_work, concurrently with bes2600_bh_work.
 * Shared state it mutates, and why that is safe now:
 *   hw_bufs_used            atomic_t, fetch_sub_release (wsm.c)
 *   hw_bufs_used_vif[if_id] atomic_t, sub_return_release
 *   wsm_tx_pending[if_id]   atomic_t
 *   last_confirm            single word, WRITE_ONCE/READ_ONCE
 *   stats                   atomic64_t
 *   the skb                 owned by this context once read from the chip
 */""")
write_patch(prep, v2, P+'/c-v2/0002-bes2600-deliver-rx-confirms-directly-from-sdio_rx_work.patch', """From: besrig driver sim <besrig@localhost>
Subject: [PATCH c-v2] bes2600: deliver rx confirms directly from sdio_rx_work

Patch C v2, on top of C-prep: the same structural change as Patch C
(bes2600_bh_handle_rx_skb() called straight from sdio_rx_work, no bounce
through bes2600_bh_work), now that every counter it mutates is atomic_t.
The shared-state table is in the comment above bes2600_bh_handle_rx_skb().
""")
print("ok")

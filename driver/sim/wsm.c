// SPDX-License-Identifier: GPL-2.0
/*
 * bes2600 simulation stand-in: WSM input buffer accounting.
 *
 * The chip advertises wsm_caps.numInpChBufs input buffers.  The host counts
 * how many it has handed out (hw_bufs_used, and per interface
 * hw_bufs_used_vif[]) and stops feeding the chip when all are in use.  A
 * confirm read back from the chip returns the buffer.
 *
 * Contract (baseline): every function in this file runs in the
 * bes2600_bh_work context only.  That single-context rule is the only thing
 * protecting these plain ints; nothing else may touch them.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/bug.h>
#include "bes2600.h"

/*
 * Models the confirm parsing that sits between reading the old count and
 * writing the new one: every race_window_every-th confirm carries the chip's
 * link statistics block (and, when race_window_period_ms is set, the first
 * confirm after each such period of the chip's clock).  The
 * block takes race_window_us to fetch and decode: with race_window_sleep
 * (default) a second SDIO read that sleeps, as bus reads do, else a busy
 * decode.  Costs the same in every variant; in a single context it is
 * harmless.  Only the one context that releases buffers gets here, so
 * wsm_confirm_seq and wsm_stats_due need no lock.
 */
static void wsm_confirm_parse_delay(struct bes2600_common *hw_priv)
{
	int us = READ_ONCE(bes2600_race_window_us);
	int every = READ_ONCE(bes2600_race_window_every);
	int period = READ_ONCE(bes2600_race_window_period_ms);
	bool stats = false;

	if (us <= 0)
		return;
	if (every > 0 && ++hw_priv->wsm_confirm_seq % every == 0)
		stats = true;
	if (period > 0) {
		ktime_t now = ktime_get();

		if (ktime_after(now, hw_priv->wsm_stats_due)) {
			hw_priv->wsm_stats_due = ktime_add_ms(now, period);
			stats = true;
		}
	}
	if (!stats)
		return;
	if (READ_ONCE(bes2600_race_window_sleep))
		usleep_range(us, us + us / 8);	/* a second, sleeping SDIO read */
	else
		udelay(us);
}

int wsm_alloc_tx_buffer(struct bes2600_common *hw_priv, int if_id)
{
	if (hw_priv->hw_bufs_used >= hw_priv->wsm_caps.numInpChBufs)
		return -EBUSY;
	++hw_priv->hw_bufs_used;
	++hw_priv->hw_bufs_used_vif[if_id];
	return 0;
}

/*
 * Returns -1 on underflow, 1 when the tx path was stalled on a full chip
 * (so the caller must kick bh), 0 otherwise.
 */
int wsm_release_tx_buffer(struct bes2600_common *hw_priv, int count)
{
	int ret = 0;
	int hw_bufs_used = hw_priv->hw_bufs_used;

	wsm_confirm_parse_delay(hw_priv);
	hw_priv->hw_bufs_used = hw_bufs_used - count;

	if (WARN_ON(hw_priv->hw_bufs_used < 0)) {
		atomic64_inc(&hw_priv->st.underflow_warns);
		ret = -1;
	} else if (hw_bufs_used >= hw_priv->wsm_caps.numInpChBufs - 1) {
		ret = 1;
	}
	if (!hw_priv->hw_bufs_used)
		wake_up(&hw_priv->bh_evt_wq);
	return ret;
}

int wsm_release_vif_tx_buffer(struct bes2600_common *hw_priv, int if_id,
			      int count)
{
	int ret = 0;

	hw_priv->hw_bufs_used_vif[if_id] -= count;
	if (WARN_ON(hw_priv->hw_bufs_used_vif[if_id] < 0)) {
		atomic64_inc(&hw_priv->st.underflow_warns);
		ret = -1;
	}
	return ret;
}

void bes2600_inc_pending_count(struct bes2600_common *hw_priv, int if_id)
{
	hw_priv->wsm_tx_pending[if_id]++;
}

void bes2600_dec_pending_count(struct bes2600_common *hw_priv, int if_id)
{
	hw_priv->wsm_tx_pending[if_id]--;
}

/* Read accessors (bh, lmac monitor, debugfs). */
int bes2600_hw_bufs_used(struct bes2600_common *hw_priv)
{
	return READ_ONCE(hw_priv->hw_bufs_used);
}

int bes2600_hw_bufs_used_vif(struct bes2600_common *hw_priv, int if_id)
{
	return READ_ONCE(hw_priv->hw_bufs_used_vif[if_id]);
}

int bes2600_tx_pending(struct bes2600_common *hw_priv, int if_id)
{
	return READ_ONCE(hw_priv->wsm_tx_pending[if_id]);
}
